"""What a return home interview and its offers are, apart from who writes them: an unsaved
referral (`new_interview`), an unsaved offer (`new_offer`) and the interview's status after
the facts recorded (`status_for`).

The services (`interview_refer`, `interview_record_offer`, `interview_record`) and the
tracker import (`mace.imports`) both build interviews and offers here and take the status
from the same function, so the same facts give the same status whoever records them; each
then saves in its own way (one `save()`, or the import's insert of a chunk's rows a table at
a time). No query is made here: keys are the database's to check.
"""

import datetime

from mace.accounts.models import Agency, User
from mace.episodes.models import Episode
from mace.interviews.models import PROVIDER_NOT_KNOWN, InterviewOffer, ReturnInterview
from mace.lib.checks import check_values

Status = ReturnInterview.Status
Response = InterviewOffer.Response

# The status an offer's answer gives the interview (003 §20, §22): an offer not yet
# answered leaves the interview offered.
STATUS_AFTER_RESPONSE = {
    Response.ACCEPTED: Status.ACCEPTED,
    Response.DECLINED: Status.DECLINED,
    Response.NO_RESPONSE: Status.OFFERED,
}


def new_interview(
    *,
    episode: Episode,
    provider: Agency | None,
    provider_rule: str,
    referred_at: datetime.datetime,
    referred_by: User | None = None,
    worker: User | None = None,
    nominated_reason: str = "",
) -> ReturnInterview:
    """An unsaved referral of `episode`'s child for a return home interview, to `provider`
    by `provider_rule` (`services.choose_provider`, 003 §21-25), its values checked. No
    provider is for a child placed here by another authority, which arranges it (002
    §4.6.3)."""
    interview = ReturnInterview(
        episode=episode,
        provider=provider,
        provider_rule=provider_rule,
        nominated_reason=nominated_reason.strip(),
        worker=worker,
        referred_at=referred_at,
        referred_by=referred_by,
    )
    check_values(interview)
    return interview


def provider_not_known_rule(rule: str) -> str:
    """The `provider_rule` of an interview recorded from the tracker when no provider agency
    could be chosen by `rule` (003 §21-25): it says so and which rule applied, within the
    field's length (`ReturnInterview.provider_not_known`)."""
    limit = ReturnInterview._meta.get_field("provider_rule").max_length or 200
    text = f"{PROVIDER_NOT_KNOWN} (no active provider agency for: {rule})"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def new_offer(
    *,
    interview: ReturnInterview,
    offered_at: datetime.datetime,
    response: str,
    method: str = "",
    notes: str = "",
    recorded_by: User | None = None,
) -> InterviewOffer:
    """An unsaved offer of `interview` and the child's answer, its values checked."""
    offer = InterviewOffer(
        interview=interview,
        offered_at=offered_at,
        response=response,
        method=method,
        notes=notes,
        recorded_by=recorded_by,
    )
    check_values(offer)
    return offer


def status_for(
    *,
    current: str,
    response: str | None = None,
    no_contact: bool = False,
    completed_at: datetime.datetime | None = None,
) -> str:
    """The interview's status after these facts, from its `current` one.

    - Held (`completed_at`), or completed before: completed, whatever is recorded after.
    - The worker could not reach the child (`no_contact`, a fact the tracker records and
      the pages do not): no contact.
    - An offer just recorded with its answer (`response`): accepted, declined, or offered
      while not yet answered.
    - Nothing new: the status stays as it is.
    """
    if completed_at is not None or current == Status.COMPLETED:
        return Status.COMPLETED
    if no_contact:
        return Status.NO_CONTACT
    if response is None:
        return current
    return STATUS_AFTER_RESPONSE[Response(response)]
