"""Safe-and-well checks and return home interviews (SPEC C3): the provider, offers, the record."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from mace.access.policy import (
    can_keep_interview_themes,
    can_nominate_interview_provider,
    can_record_episode,
    can_record_return_interview,
    can_record_safe_and_well,
    require,
)
from mace.accounts.models import Agency, User
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record, changed_only, snapshot
from mace.configuration.models import SettingKey
from mace.configuration.store import value as setting
from mace.episodes.models import Episode, MissingFrom
from mace.episodes.services import episode_record_health_assessment
from mace.interviews import domain
from mace.interviews.models import (
    InterviewOffer,
    InterviewTheme,
    InterviewThemeCoding,
    ReturnInterview,
    SafeAndWellCheck,
)
from mace.lib.concurrency import lock_for_edit
from mace.lib.days import day_of
from mace.people.models import Involvement, LegalStatusKind
from mace.worklist.engine import sync_child
from mace.worklist.thresholds import thresholds

REPEAT_WINDOW = datetime.timedelta(days=365)
OVERNIGHT_OR_LONG = datetime.timedelta(hours=12)


@dataclass(frozen=True)
class ProviderChoice:
    """Who offers the interview, and the rule of 003 §21-25 that says so."""

    provider: Agency | None
    rule: str


def agency_named(name: str) -> Agency | None:
    """The active agency of that name (the providers are settings that name them)."""
    return Agency.objects.filter(name=name, is_active=True).first()


def choose_provider(
    episode: Episode,
    *,
    agency: Callable[[str], Agency | None] = agency_named,
    episodes_since: Callable[[datetime.datetime], int] | None = None,
) -> ProviderChoice:
    """The provider of the return home interview, by the rules of 003 §21-25 (C3).

    - A child placed here by another authority: the placing authority is told and
      arranges the interview (002 §4.6.3); no local provider.
    - A looked-after child: the independent advocate provider, referred by the social
      worker within 24 hours (003 §24).
    - 12 and under, missing from home: the family wellbeing service (003 §21).
    - 13 and over, missing from home: the targeted youth service (003 §22), which offers
      it when the child was missing overnight or over 12 hours, has gone two or more times,
      or has other risk factors, and otherwise under the national duty to offer an
      interview after every episode (003 §20).
    A manager may nominate another professional with the reason recorded (003 §25;
    `interview_nominate`). The providers are the partnership's settings.

    A bulk writer (the tracker import) may pass its own `agency` lookup (one a run) and
    `episodes_since`, the number of the child's episodes last seen since a moment, this one
    included, when some are not in the database yet.
    """
    th = thresholds()
    placement = episode.placement
    if placement is not None and placement.placing_authority.ons_code != th.home_authority_ons_code:
        return ProviderChoice(
            None,
            f"Placed here by {placement.placing_authority.name}: they arrange the interview "
            "(002 §4.6.3)",
        )
    looked_after = episode.legal_status == LegalStatusKind.CLA or (
        episode.missing_from == MissingFrom.CARE
    )
    if looked_after:
        return ProviderChoice(
            agency(setting(SettingKey.RHI_PROVIDER_LOOKED_AFTER)),
            "Looked after: independent advocate provider (003 §24)",
        )
    age = episode.child.age_on(day_of(episode.last_seen_at))
    if age <= 12:
        return ProviderChoice(
            agency(setting(SettingKey.RHI_PROVIDER_UNDER_13_FROM_HOME)),
            "12 and under, missing from home: family wellbeing service (003 §21)",
        )
    ended = episode.returned_at or timezone.now()
    long_or_overnight = ended - episode.last_seen_at > OVERNIGHT_OR_LONG or (
        day_of(ended) != day_of(episode.last_seen_at)
    )
    since = episode.last_seen_at - REPEAT_WINDOW
    repeat = (
        episodes_since(since)
        if episodes_since is not None
        else Episode.objects.filter(child=episode.child, last_seen_at__gte=since).count()
    ) >= 2
    if long_or_overnight or repeat:
        reason = (
            "missing overnight or over 12 hours" if long_or_overnight else "gone 2 or more times"
        )
        return ProviderChoice(
            agency(setting(SettingKey.RHI_PROVIDER_13_AND_OVER_FROM_HOME)),
            f"13 and over, missing from home, {reason}: targeted youth service (003 §22)",
        )
    return ProviderChoice(
        agency(setting(SettingKey.RHI_PROVIDER_13_AND_OVER_FROM_HOME)),
        "13 and over, missing from home: targeted youth service, offered after every "
        "episode (003 §20, §22)",
    )


def give_provider_access(interview: ReturnInterview) -> None:
    """The referred provider, and its worker, see this child from now on (C3, C11)."""
    if interview.provider is None and interview.worker is None:
        return
    involvement = {
        "child": interview.episode.child,
        "kind": Involvement.Kind.RHI_PROVIDER,
        "agency": interview.provider,
        "user": interview.worker,
        "end_date": None,
    }
    # Not get_or_create: a child may already hold two such involvements (recorded twice by
    # hand, say), and the referral must not fail on that.
    if not Involvement.objects.filter(**involvement).exists():
        Involvement.objects.create(**involvement, start_date=timezone.localdate())


@transaction.atomic
def interview_refer(
    *,
    actor: User,
    episode: Episode,
    provider: Agency | None = None,
    worker: User | None = None,
    nominated_reason: str = "",
    referred_at: datetime.datetime | None = None,
) -> ReturnInterview:
    """Refer the child for a return home interview, to the provider the rules choose.

    Choosing a provider other than the rules' one is a nomination (003 §25): only a
    manager may do it, and only with the reason recorded.
    """
    require(can_record_episode(actor, episode.child))
    if hasattr(episode, "return_interview"):
        raise ValidationError("This episode already has a return interview referral")
    choice = choose_provider(episode)
    chosen = provider or choice.provider
    rule = choice.rule
    if provider is not None and provider != choice.provider:
        if not can_nominate_interview_provider(actor):
            raise ValidationError(
                {"provider": "Only a manager can nominate a different provider (003 §25)"}
            )
        if not nominated_reason.strip():
            raise ValidationError(
                {"nominated_reason": "Record why another professional is nominated (003 §25)"}
            )
        rule = f"Nominated by a manager (003 §25) instead of: {choice.rule}"
    placed_elsewhere = (
        episode.placement is not None
        and episode.placement.placing_authority.ons_code != thresholds().home_authority_ons_code
    )
    if chosen is None and not placed_elsewhere:
        raise ValidationError(
            {
                "provider": "No provider is set up for this child: "
                f"{choice.rule}. Ask the administrator to add the provider agency"
            }
        )
    interview = domain.new_interview(
        episode=episode,
        provider=chosen,
        provider_rule=rule,
        nominated_reason=nominated_reason,
        worker=worker,
        referred_at=referred_at or timezone.now(),
        referred_by=actor,
    )
    interview.full_clean()
    interview.save()
    give_provider_access(interview)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=interview,
        child_id=episode.child.public_id,
        summary=(
            f"Referred for a return home interview to {chosen.name}"
            if chosen
            else "Return interview arranged by the placing authority"
        ),
        after=snapshot(interview),
    )
    sync_child(episode.child)
    return interview


def _require_interviewer(actor: User, interview: ReturnInterview) -> None:
    child = interview.episode.child
    require(can_record_return_interview(actor, child))


@transaction.atomic
def interview_assign(*, actor: User, interview: ReturnInterview, worker: User) -> ReturnInterview:
    _require_interviewer(actor, interview)
    interview.worker = worker
    interview.save(update_fields=["worker", "updated_at"])
    give_provider_access(interview)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=interview,
        child_id=interview.episode.child.public_id,
        summary=f"Interview allocated to {worker.display_name}",
    )
    sync_child(interview.episode.child)
    return interview


@transaction.atomic
def interview_record_offer(
    *,
    actor: User,
    interview: ReturnInterview,
    offered_at: datetime.datetime,
    response: str,
    method: str = "",
    notes: str = "",
    consent_given_by: str = "",
    refusal_safeguarding_considered: str = "",
) -> InterviewOffer:
    """An offer and the answer. A refusal asks whether it is a safeguarding concern (003 §20)."""
    _require_interviewer(actor, interview)
    if offered_at < interview.episode.last_seen_at:
        raise ValidationError({"offered_at": "The offer cannot be before the child went missing"})
    if response == InterviewOffer.Response.DECLINED and not refusal_safeguarding_considered.strip():
        raise ValidationError(
            {
                "refusal_safeguarding_considered": "Record whether the refusal is a "
                "safeguarding concern, and what will be done (003 §20)"
            }
        )
    offer = domain.new_offer(
        interview=interview,
        offered_at=offered_at,
        response=response,
        method=method,
        notes=notes,
        recorded_by=actor,
    )
    offer.full_clean()
    offer.save()
    interview.status = domain.status_for(current=interview.status, response=response)
    if consent_given_by:
        interview.consent_given_by = consent_given_by
    if refusal_safeguarding_considered:
        interview.refusal_safeguarding_considered = refusal_safeguarding_considered
    interview.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=interview,
        child_id=interview.episode.child.public_id,
        summary=f"Interview offered: {offer.get_response_display().lower()}",
        after=snapshot(offer),
    )
    sync_child(interview.episode.child)
    return offer


RECORD_FIELDS = (
    "completed_at",
    "childs_account",
    "parents_views",
    "interviewer_analysis",
    "safe_before",
    "safe_while_missing",
    "safe_since",
    "happy_before",
    "happy_while_missing",
    "happy_since",
    "harmed",
    "victim_of_crime",
    "perpetrator_of_crime",
    "harboured_where_by_whom",
    "information_to_find_next_time",
    "health_assessment_offered",
    "sexual_health_referral",
    "referrals_made",
)


def interview_before_found_message(found: datetime.datetime) -> str:
    """The interview held before the child was found or returned (issue 19 point 3): the
    message names the field and the time the episode records."""
    at = date_format(timezone.localtime(found), "j F Y H:i")
    return (
        f"The date and time the interview was held must be the same as or after the child "
        f"was found or returned, {at}"
    )


@transaction.atomic
def interview_record(
    *,
    actor: User,
    interview: ReturnInterview,
    expected_version: int,
    health_assessment_not_offered_reason: str = "",
    themes: Iterable[InterviewTheme] | None = None,
    **record: Any,
) -> ReturnInterview:
    """The record of the interview (003 A4), in the child's words, with the six scales, and
    the themes the worker codes it with (issue 20 point 4; None leaves them as they are).
    A retired theme may stay on an interview already coded with it, not be added anew.

    Its answer to the health assessment's offer (T12) is recorded on the episode too, where
    the T12 item reads it (`episode_record_health_assessment`, issue 18 point 8): "No"
    needs the reason, and keeps the item open."""
    _require_interviewer(actor, interview)
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(f"Unknown interview details: {', '.join(sorted(unknown))}")
    offered = record.get("health_assessment_offered")
    reason = (health_assessment_not_offered_reason or "").strip()
    if offered is False and not reason:
        raise ValidationError(
            {"health_assessment_not_offered_reason": HEALTH_ASSESSMENT_REASON_NEEDED}
        )
    held = record.get("completed_at")
    found = interview.episode.returned_at
    if held is not None and found is not None and held < found:
        raise ValidationError({"completed_at": interview_before_found_message(found)})
    locked = lock_for_edit(interview, expected_version, "interview")
    before = snapshot(locked)
    themes_before = _theme_names(locked)
    for name, value in record.items():
        setattr(locked, name, value)
    locked.status = domain.status_for(current=locked.status, completed_at=locked.completed_at)
    if locked.completed_at is not None and not locked.offers.exists():
        domain.new_offer(
            interview=locked,
            offered_at=locked.completed_at,
            response=InterviewOffer.Response.ACCEPTED,
            method="Offered and held at the interview",
            recorded_by=actor,
        ).save()
    locked.full_clean()
    locked.version += 1
    locked.save()
    if themes is not None:
        _code_themes(locked, list(themes))
    old, new = changed_only(before, snapshot(locked))
    old.pop("version", None)
    new.pop("version", None)
    themes_after = _theme_names(locked)
    if themes_after != themes_before:
        old["themes"], new["themes"] = themes_before, themes_after
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=locked,
        child_id=locked.episode.child.public_id,
        summary="Return interview recorded",
        before=old,
        after=new,
    )
    if offered is not None:
        _health_assessment_on_episode(actor, locked.episode, offered, reason)
    sync_child(locked.episode.child)
    return locked


HEALTH_ASSESSMENT_REASON_NEEDED = "Enter why the health assessment has not been offered"
RETIRED_THEME = "{name} is no longer used: choose another theme"


def _theme_names(interview: ReturnInterview) -> list[str]:
    return sorted(interview.themes.values_list("name", flat=True))


def _code_themes(interview: ReturnInterview, themes: list[InterviewTheme]) -> None:
    held = set(interview.theme_codings.values_list("theme_id", flat=True))
    wanted = {theme.pk for theme in themes}
    retired = InterviewTheme.objects.filter(pk__in=wanted - held, retired_at__isnull=False).first()
    if retired is not None:
        raise ValidationError({"themes": RETIRED_THEME.format(name=retired.name)})
    interview.theme_codings.exclude(theme_id__in=wanted).delete()
    InterviewThemeCoding.objects.bulk_create(
        [InterviewThemeCoding(interview=interview, theme_id=pk) for pk in wanted - held]
    )


def _health_assessment_on_episode(
    actor: User, episode: Episode, offered: bool, reason: str
) -> None:
    """The interview's answer on the episode, unless the episode says so already (or the
    child has not returned: the episode records the offer only after a return)."""
    if episode.returned_at is None:
        return
    if episode.health_assessment_offered is offered and (
        offered or episode.health_assessment_not_offered_reason == reason
    ):
        return
    episode_record_health_assessment(
        actor=actor, episode=episode, offered=offered, not_offered_reason=reason
    )


@transaction.atomic
def safe_and_well_record(
    *, actor: User, episode: Episode, conducted_at: datetime.datetime, **findings: Any
) -> SafeAndWellCheck:
    """The police safe-and-well interview (003 §4); its findings update the episode."""
    require(can_record_safe_and_well(actor, episode.child))
    if episode.returned_at is None:
        raise ValidationError("Record that the child has been found before the safe-and-well check")
    if conducted_at < episode.returned_at:
        raise ValidationError(
            {"conducted_at": "The safe-and-well check cannot be before the child was found"}
        )
    check = SafeAndWellCheck(
        episode=episode,
        conducted_at=conducted_at,
        officer=actor,
        officer_name=actor.display_name,
        **findings,
    )
    check.full_clean()
    check.save()
    if check.where_been and not episode.where_been:
        episode.where_been = check.where_been
        episode.save(update_fields=["where_been", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=check,
        child_id=episode.child.public_id,
        summary="Safe-and-well check recorded",
        after=snapshot(check),
    )
    sync_child(episode.child)
    return check


# The partnership's list of return-interview themes (issue 20 point 4), kept by
# administrators on its settings page. Each change is audited with its before and after.

THEME_NAME_NEEDED = "Enter the theme"
THEME_NAME_TAKEN = "There is already a theme called {name}: enter a different name"
THEME_IN_USE = (
    "{name} cannot be deleted: {count} return {interviews} coded with it. Retire it instead, "
    "so it is no longer offered"
)


def _theme_name(name: str, *, other_than: InterviewTheme | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": THEME_NAME_NEEDED})
    same = InterviewTheme.objects.filter(name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    if same.exists():
        raise ValidationError({"name": THEME_NAME_TAKEN.format(name=name)})
    return name


def _new_code(name: str) -> str:
    base = slugify(name)[:70] or "theme"
    code, n = base, 1
    while InterviewTheme.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _audit_theme(
    actor: User, theme: InterviewTheme, action: str, summary: str, before: Any, after: Any
) -> None:
    audit_record(actor=actor, action=action, obj=theme, summary=summary, before=before, after=after)


@transaction.atomic
def interview_theme_add(*, actor: User, name: str) -> InterviewTheme:
    """A new theme, offered on the return-interview form from now on, at the end of the list."""
    require(can_keep_interview_themes(actor))
    name = _theme_name(name)
    last = InterviewTheme.objects.order_by("-position").values_list("position", flat=True).first()
    theme = InterviewTheme(name=name, code=_new_code(name), position=(last or 0) + 10)
    theme.full_clean()
    theme.save()
    _audit_theme(
        actor,
        theme,
        AuditEvent.Action.CREATE,
        f"Interview theme added: {name}",
        None,
        snapshot(theme),
    )
    return theme


def _locked_theme(theme: InterviewTheme) -> InterviewTheme:
    return InterviewTheme.objects.select_for_update().get(pk=theme.pk)


@transaction.atomic
def interview_theme_rename(*, actor: User, theme: InterviewTheme, name: str) -> InterviewTheme:
    """A new name for a theme. Interviews already coded with it, and the quarters' counts,
    show the new name: it is the same theme (its code does not change)."""
    require(can_keep_interview_themes(actor))
    locked = _locked_theme(theme)
    name = _theme_name(name, other_than=locked)
    if name == locked.name:
        return locked
    before = snapshot(locked)
    locked.name = name
    locked.full_clean()
    locked.save(update_fields=["name", "updated_at"])
    old, new = changed_only(before, snapshot(locked))
    _audit_theme(
        actor, locked, AuditEvent.Action.CHANGE, f"Interview theme renamed: {name}", old, new
    )
    return locked


@transaction.atomic
def interview_theme_retire(
    *, actor: User, theme: InterviewTheme, retired: bool = True
) -> InterviewTheme:
    """Retire a theme (no longer offered on the form; interviews coded with it keep it and
    it is still counted for their quarters), or bring a retired one back (`retired=False`)."""
    require(can_keep_interview_themes(actor))
    locked = _locked_theme(theme)
    if locked.is_retired == retired:
        return locked
    before = snapshot(locked)
    locked.retired_at = timezone.now() if retired else None
    locked.save(update_fields=["retired_at", "updated_at"])
    old, new = changed_only(before, snapshot(locked))
    what = "retired" if retired else "back in use"
    _audit_theme(
        actor,
        locked,
        AuditEvent.Action.CHANGE,
        f"Interview theme {what}: {locked.name}",
        old,
        new,
    )
    return locked


@transaction.atomic
def interview_theme_delete(*, actor: User, theme: InterviewTheme) -> None:
    """Delete a theme no interview is coded with (one added by mistake). A used theme is
    never deleted (the database protects it too): retire it instead."""
    require(can_keep_interview_themes(actor))
    locked = _locked_theme(theme)
    count = locked.codings.count()
    if count:
        raise ValidationError(
            THEME_IN_USE.format(
                name=locked.name,
                count=count,
                interviews="interview is" if count == 1 else "interviews are",
            )
        )
    before = snapshot(locked)
    _audit_theme(
        actor,
        locked,
        AuditEvent.Action.CHANGE,
        f"Interview theme deleted: {locked.name}",
        before,
        None,
    )
    locked.delete()
