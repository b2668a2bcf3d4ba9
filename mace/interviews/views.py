"""Pages for an episode's safe-and-well interview and its return home interview: the
referral, offers and the record of 003 A4 (SPEC C3). Thin: the services hold the rules. Each
is a page of the episode (`/episodes/<id>/<page>/`), shown by `episode_action_page`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from mace.access import policy
from mace.accounts.models import User
from mace.episodes.models import Episode
from mace.episodes.views import Action, episode_action_page
from mace.interviews import forms, services
from mace.interviews.models import ReturnInterview

YES_NO_FIELDS = (
    "harmed",
    "victim_of_crime",
    "perpetrator_of_crime",
    "health_assessment_offered",
    "sexual_health_referral",
)


def _interview(episode: Episode) -> ReturnInterview:
    interview = getattr(episode, "return_interview", None)
    if interview is None:
        raise ValidationError("Refer the child for a return interview first")
    return interview


def _interviewer(actor: User, episode: Episode) -> bool:
    return policy.can_record_return_interview(actor, episode.child)


def _record_interview(actor: User, episode: Episode, data: dict[str, Any]) -> Any:
    interview = _interview(episode)
    version = data.pop("version")
    return services.interview_record(
        actor=actor, interview=interview, expected_version=version, **data
    )


def _interview_initial(episode: Episode) -> dict[str, Any]:
    interview = getattr(episode, "return_interview", None)
    if interview is None:
        return {}
    values = {name: getattr(interview, name) for name in services.RECORD_FIELDS}
    for name in YES_NO_FIELDS:
        value = values[name]
        values[name] = "" if value is None else ("true" if value else "false")
    values["health_assessment_not_offered_reason"] = episode.health_assessment_not_offered_reason
    values["themes"] = list(interview.themes.values_list("pk", flat=True))
    values["version"] = interview.version
    return values


SAFE_AND_WELL = Action(
    "Record the safe-and-well interview",
    forms.SafeAndWellForm,
    lambda a, e: policy.can_record_safe_and_well(a, e.child),
    lambda a, e, d: services.safe_and_well_record(actor=a, episode=e, **d),
    done="Safe-and-well interview recorded",
)
REFER = Action(
    "Refer for a return home interview",
    forms.ReferralForm,
    lambda a, e: policy.can_record_episode(a, e.child),
    lambda a, e, d: services.interview_refer(actor=a, episode=e, **d),
    done="Referred for a return home interview",
)
OFFER = Action(
    "Record an offer of the return interview",
    forms.OfferForm,
    _interviewer,
    lambda a, e, d: services.interview_record_offer(actor=a, interview=_interview(e), **d),
    done="Offer recorded",
)
INTERVIEW = Action(
    "Record the return home interview",
    forms.InterviewRecordForm,
    _interviewer,
    _record_interview,
    _interview_initial,
    "Return interview recorded",
)


def safe_and_well(request: HttpRequest, public_id: str) -> HttpResponse:
    return episode_action_page(request, public_id, SAFE_AND_WELL)


def refer(request: HttpRequest, public_id: str) -> HttpResponse:
    return episode_action_page(request, public_id, REFER)


def offer(request: HttpRequest, public_id: str) -> HttpResponse:
    return episode_action_page(request, public_id, OFFER)


def interview(request: HttpRequest, public_id: str) -> HttpResponse:
    return episode_action_page(request, public_id, INTERVIEW)
