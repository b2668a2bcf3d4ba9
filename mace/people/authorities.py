"""The reference list of local authorities that place children or host placements.

The 33 London boroughs carry their real ONS codes (E09000001 to E09000033, in the ONS's
order: the City of London first, then the boroughs alphabetically). A few neighbouring
counties and large cities follow, listed only where the code is certain. Northbridge is
the fictional home authority of the demonstration data.
"""

from typing import NamedTuple

from mace.people.models import LocalAuthority


class AuthorityRef(NamedTuple):
    name: str
    ons_code: str


DEMO_HOME_AUTHORITY = AuthorityRef("Northbridge Borough Council", "E09999901")

LONDON_BOROUGHS: tuple[AuthorityRef, ...] = tuple(
    AuthorityRef(name, f"E09{number:06d}")
    for number, name in enumerate(
        (
            "City of London",
            "Barking and Dagenham",
            "Barnet",
            "Bexley",
            "Brent",
            "Bromley",
            "Camden",
            "Croydon",
            "Ealing",
            "Enfield",
            "Greenwich",
            "Hackney",
            "Hammersmith and Fulham",
            "Haringey",
            "Harrow",
            "Havering",
            "Hillingdon",
            "Hounslow",
            "Islington",
            "Kensington and Chelsea",
            "Kingston upon Thames",
            "Lambeth",
            "Lewisham",
            "Merton",
            "Newham",
            "Redbridge",
            "Richmond upon Thames",
            "Southwark",
            "Sutton",
            "Tower Hamlets",
            "Waltham Forest",
            "Wandsworth",
            "Westminster",
        ),
        start=1,
    )
)

OTHER_AUTHORITIES: tuple[AuthorityRef, ...] = (
    AuthorityRef("Essex", "E10000012"),
    AuthorityRef("Hertfordshire", "E10000015"),
    AuthorityRef("Kent", "E10000016"),
    AuthorityRef("Surrey", "E10000030"),
    AuthorityRef("Birmingham", "E08000025"),
    AuthorityRef("Manchester", "E08000003"),
)

LOCAL_AUTHORITIES: tuple[AuthorityRef, ...] = LONDON_BOROUGHS + OTHER_AUTHORITIES


def ensure_local_authorities(
    authorities: tuple[AuthorityRef, ...] = LOCAL_AUTHORITIES,
) -> dict[str, LocalAuthority]:
    """Create any of the listed authorities that are missing; return all of them by ONS code.

    An existing row is matched on its ONS code and left as it is, so a locally corrected
    name survives.
    """
    found: dict[str, LocalAuthority] = {}
    for ref in authorities:
        authority, _ = LocalAuthority.objects.get_or_create(
            ons_code=ref.ons_code, defaults={"name": ref.name}
        )
        found[ref.ons_code] = authority
    return found
