"""Who the documents come from: the sender's details printed on MACE's letters (SPEC C10).

Every value is one of the partnership's settings (`mace.configuration`), read only here,
so that no name, phone number or address is written into the code or the templates: an
administrator sets each on the "Letterhead and protective marking" settings page, and until
then the Django setting of the same name (mace/settings.py, read from the environment) or
the neutral default below applies:

- LETTERHEAD_AUTHORITY_NAME: the authority's name as printed. Default: the name of the
  home LocalAuthority (the one whose ONS code is HOME_AUTHORITY_ONS_CODE), else
  "the local authority".
- LETTERHEAD_SERVICE_NAME: the service the letter comes from ("Children's Services").
- LETTERHEAD_ADDRESS: the postal address, a list of lines or one string with a line per
  line (default: none printed).
- LETTERHEAD_WEBSITE: printed under the address (default: none).
- LETTERHEAD_CONTACT_TEAM: the team the placing authority may call for more information
  ("Multi-Agency Safeguarding Hub (MASH)").
- LETTERHEAD_CONTACT_PHONE: that team's number (default: none printed).
- LETTERHEAD_DIRECTOR_TITLE: the first signatory's title ("Director of Children's Services").
- LETTERHEAD_POLICE_TITLE: the second signatory's title ("Police Superintendent").
- LETTERHEAD_POLICE_AREA: the police force and area under that title (default: none).
- LETTERHEAD_OPEN_ACCESS_NOTE: the closing note on disclosure of replies; "{authority}" is
  replaced by the authority's name. An empty string leaves the note out.
- DOCUMENTS_PROTECTIVE_MARKING: the marking at the top and foot of the police profile and
  of the printable risk assessment (mace.exploitation.views)
  ("OFFICIAL-SENSITIVE", the Government Security Classifications marking for such records).

Signatories' names are never settings: the letter leaves a line for each to sign and print.
"""

from dataclasses import dataclass

from django.conf import settings

from mace.configuration.models import SettingKey as K
from mace.configuration.store import value as setting
from mace.people.models import LocalAuthority

DEFAULT_OPEN_ACCESS_NOTE = (
    "{authority} has a policy of open access to files. This means that any information "
    "provided by you in your reply may be disclosed to the service user unless you state "
    "otherwise."
)


@dataclass(frozen=True)
class Letterhead:
    authority_name: str
    service_name: str
    address_lines: tuple[str, ...]
    website: str
    contact_team: str
    contact_phone: str
    director_title: str
    police_title: str
    police_area: str
    open_access_note: str
    protective_marking: str


def _lines(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = value.splitlines()
    elif isinstance(value, list | tuple):
        parts = [str(part) for part in value]
    else:
        parts = []
    return tuple(part.strip() for part in parts if part.strip())


def home_authority_name() -> str:
    """The name of the authority MACE serves, as printed on its documents."""
    name = setting(K.LETTERHEAD_AUTHORITY_NAME)
    if name:
        return str(name)
    code = setting(K.HOME_AUTHORITY_ONS_CODE)
    home = LocalAuthority.objects.filter(ons_code=code).first()
    return home.name if home is not None else "the local authority"


def letterhead() -> Letterhead:
    authority = home_authority_name()
    note = getattr(settings, "LETTERHEAD_OPEN_ACCESS_NOTE", DEFAULT_OPEN_ACCESS_NOTE)
    return Letterhead(
        authority_name=authority,
        service_name=setting(K.LETTERHEAD_SERVICE_NAME),
        address_lines=_lines(setting(K.LETTERHEAD_ADDRESS)),
        website=setting(K.LETTERHEAD_WEBSITE),
        contact_team=setting(K.LETTERHEAD_CONTACT_TEAM),
        contact_phone=setting(K.LETTERHEAD_CONTACT_PHONE),
        director_title=setting(K.LETTERHEAD_DIRECTOR_TITLE),
        police_title=setting(K.LETTERHEAD_POLICE_TITLE),
        police_area=setting(K.LETTERHEAD_POLICE_AREA),
        open_access_note=note.replace("{authority}", authority) if note else "",
        protective_marking=setting(K.DOCUMENTS_PROTECTIVE_MARKING),
    )
