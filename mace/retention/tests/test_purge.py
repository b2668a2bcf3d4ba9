"""The purge removes the child and every row with a path to them, in one transaction, and
leaves a tombstone with no personal data (issue 20 point 1)."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection
from django.utils import timezone

from mace.accounts.models import Role, User
from mace.audit.models import AuditEvent
from mace.episodes.models import Episode
from mace.people import services as people
from mace.people.models import Child, DuplicateReview, DuplicateReviewSource, LocalAuthority
from mace.people.tests import photos
from mace.people.tests.factories import ChildFactory
from mace.retention import purge, services
from mace.retention.models import RetentionReview

pytestmark = pytest.mark.django_db

# Every model with a foreign-key path to the child. A new one fails this test: decide whether
# a purge should remove its rows (it will, as the graph finds it) and add it here.
EXPECTED_MODELS = {
    "access.RestrictedAccessGrant",
    "people.Child",
    "people.ChildAlias",
    "people.ChildIdentifier",
    "people.ChildAddress",
    "people.LegalStatus",
    "people.Placement",
    "people.RelatedPerson",
    "people.Involvement",
    "people.DuplicateReview",
    "people.ChildPhotograph",
    "people.ChildDescription",
    "episodes.Episode",
    "episodes.Episode_with_children",
    "episodes.RiskGrading",
    "episodes.EpisodeNotification",
    "interviews.SafeAndWellCheck",
    "interviews.ReturnInterview",
    "interviews.InterviewOffer",
    "interviews.InterviewThemeCoding",
    "meetings.StrategyMeeting",
    "meetings.MeetingAction",
    "meetings.SupervisionDiscussion",
    "meetings.AgendaItem",
    "meetings.AgencyRiskView",
    "meetings.PanelAction",
    "meetings.TransitionReferral",
    "worklist.DueItem",
    "worklist.Notification",
    "worklist.Recheck",
    "documents.DirectorLetter",
    "exploitation.Assessment",
    "exploitation.Answer",
    "exploitation.AssessmentDraft",
    "intelligence.Link",
    "intelligence.IntelligenceNote",
    "disruption.DisruptionAction",
    "disruption.DisruptionOutcome",
    "education.CMECase",
    "education.CMECheck",
    "education.MissingOutEntry",
    "reports.EpisodeFact",
    "retention.RetentionReview",
}


def test_the_purge_graph_holds_every_model_with_a_path_to_the_child():
    found = {model._meta.label for model in purge.purged_models()}
    assert found == EXPECTED_MODELS


def test_rows_are_deleted_before_the_rows_they_point_at():
    order = {model: n for n, model in enumerate(purge.purged_models())}
    for edge in purge.edges_to_child():
        if edge.model is not edge.target:
            assert order[edge.model] < order[edge.target], edge


def _rows_of_every_model() -> dict[str, set[int]]:
    """The primary keys of every row of every model in the purge graph."""
    return {
        model._meta.label: set(model._default_manager.values_list("pk", flat=True))
        for model in purge.purged_models()
    }


def _count_the_rest() -> dict[str, int]:
    """How many rows every other model holds."""
    graph = set(purge.purged_models())
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model not in graph and model._meta.managed
    }


def _rich_child(manager) -> Child:
    """Of the demonstration data, the child with records in the most models, with other
    children merged into them (so their records, and the merged records, are the child's
    too), and the few record types the demonstration does not make for one child."""
    scored = []
    for child in Child.objects.filter(merged_into__isnull=True).order_by("pk"):
        models = set(purge.rows_to_purge(child))
        scored.append((len(models), child.pk, models))
    scored.sort(key=lambda row: (-row[0], row[1]))
    keep = Child.objects.get(pk=scored[0][1])
    covered = set(scored[0][2])
    for _, pk, models in scored[1:]:
        if models - covered:
            other = Child.objects.get(pk=pk)
            try:
                people.child_merge(actor=manager, keep=keep, duplicate=other)
            except (ValidationError, PermissionDenied, IntegrityError):
                # Two open episodes, a restricted record, or both on one agenda section
                # (child_merge does not yet resolve that clash): try another child.
                continue
            covered |= models
    keep.refresh_from_db()
    someone_else = Child.objects.filter(merged_into__isnull=True).exclude(pk=keep.pk).first()
    authority = LocalAuthority.objects.first()
    other_episode = Episode.objects.exclude(child=keep).first()
    assert someone_else is not None
    assert authority is not None
    assert other_episode is not None
    from mace.access.models import RestrictedAccessGrant
    from mace.documents.models import DirectorLetter
    from mace.meetings.models import TransitionReferral

    RestrictedAccessGrant.objects.create(
        user=manager,
        child=keep,
        reason="Reviewing the record for retention",
        expires_at=timezone.now() + datetime.timedelta(hours=8),
    )
    DuplicateReview.objects.create(
        new_child=someone_else,
        matched_child=keep,
        score=90,
        same_date_of_birth=False,
        source=DuplicateReviewSource.TRACKER_IMPORT,
    )
    DirectorLetter.objects.create(
        child=keep,
        placing_authority=authority,
        episode_count=3,
        prepared_by=manager,
    )
    TransitionReferral.objects.create(
        child=keep,
        referred_on=timezone.localdate(),
        service="Adult social care",
        recorded_by=manager,
    )
    from mace.intelligence.models import IntelligenceNote

    IntelligenceNote.objects.create(
        child=keep, text="Seen at the station late at night", source="Police", recorded_by=manager
    )
    other_episode.with_children.add(keep)
    # The demonstration holds no photographs, and its one assessment draft is another
    # child's.
    people.photograph_add(
        actor=User.objects.get(username="missing.coordinator"),
        child=keep,
        image=io.BytesIO(photos.jpeg(400, 300)),
        taken_on=timezone.localdate(),
        taken_by="Test foster carer",
    )
    from mace.exploitation.models import AssessmentDraft

    AssessmentDraft.objects.get_or_create(
        child=keep, author=manager, defaults={"fields": {"experience": ["Begun"]}}
    )
    return keep


def _review_of(child: Child) -> RetentionReview:
    return RetentionReview.objects.create(
        child=child,
        rule="child",
        due_on=timezone.localdate(),
        listed_on=timezone.localdate(),
    )


def _personal_strings(children: list[Child]) -> list[str]:
    strings: list[str] = []
    for child in children:
        born = child.date_of_birth
        strings += [child.first_name, child.last_name, child.reference]
        strings += [born.isoformat(), f"{born:%d/%m/%Y}"]
        strings += list(child.aliases.values_list("name", flat=True))
    return [s for s in strings if s]


def test_the_purge_removes_every_row_about_the_child_and_nothing_else(demonstration):
    manager = demonstration
    child = _rich_child(manager)
    review = _review_of(child)
    rows = purge.rows_to_purge(child)
    purged_labels = {model._meta.label for model in rows}
    # The child touches every record type the graph holds, so every one is tested.
    assert purged_labels == EXPECTED_MODELS
    merged = list(Child.objects.filter(merged_into=child))
    assert merged, "the test needs a record merged into the child"
    personal = _personal_strings([child, *merged])
    public_ids = [child.public_id, *(m.public_id for m in merged)]
    assert AuditEvent.objects.filter(child_id__in=public_ids).exclude(after=None).exists()
    before = _rows_of_every_model()
    rest = _count_the_rest()

    services.retention_purge(actor=manager, review=review, reason="Reached the end of its period")

    after = _rows_of_every_model()
    for model, pks in rows.items():
        label = model._meta.label
        assert not (pks & after[label]), f"{label} rows left behind"
        assert after[label] == before[label] - pks, f"{label}: other rows changed"
    for label in set(before) - {m._meta.label for m in rows}:
        assert after[label] == before[label]
    rest_after = _count_the_rest()
    rest["audit.AuditEvent"] += 1  # the tombstone
    assert rest_after == rest

    tombstone = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert tombstone.child_id == child.public_id
    assert tombstone.actor == manager
    assert tombstone.summary.startswith("Record purged under retention rule")
    assert manager.username in tombstone.summary
    held = json.dumps(
        [
            tombstone.summary,
            tombstone.before,
            tombstone.after,
            tombstone.reason,
            tombstone.object_id,
        ]
    ).lower()
    for text in personal:
        assert text.lower() not in held, f"the tombstone holds {text!r}"
    assert tombstone.after["deleted"]["Child's record"] == 1 + len(merged)
    # The values held about the child in earlier events are gone; the events stay.
    earlier = AuditEvent.objects.filter(child_id__in=public_ids).exclude(pk=tombstone.pk)
    assert earlier.exists()
    assert not earlier.exclude(before=None).exists()
    assert not earlier.exclude(after=None).exists()
    assert not earlier.exclude(reason="").exists()


REFUSE_TOMBSTONE = {
    "sqlite": [
        """CREATE TEMP TRIGGER refuse_tombstone BEFORE INSERT ON audit_auditevent
        WHEN NEW.action = 'delete' BEGIN SELECT RAISE(ABORT, 'tombstone refused'); END"""
    ],
    "postgresql": [
        """CREATE FUNCTION refuse_tombstone() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'tombstone refused'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER refuse_tombstone BEFORE INSERT ON audit_auditevent
        FOR EACH ROW WHEN (NEW.action = 'delete') EXECUTE FUNCTION refuse_tombstone()""",
    ],
}


def test_the_purge_is_all_or_nothing(demonstration):
    """A purge that fails at its last step (the database refuses the tombstone) leaves every
    row, and every audit value, as it was."""
    manager = demonstration
    child = Child.objects.filter(episodes__isnull=False).first()
    review = _review_of(child)
    before = _rows_of_every_model()
    values = list(AuditEvent.objects.order_by("pk").values_list("pk", "before", "after", "reason"))
    with connection.cursor() as cursor:
        for statement in REFUSE_TOMBSTONE[connection.vendor]:
            cursor.execute(statement)
    with pytest.raises(DatabaseError) as refused:
        services.retention_purge(actor=manager, review=review, reason="End of period")
    assert "tombstone refused" in str(refused.value)
    assert _rows_of_every_model() == before
    assert (
        list(AuditEvent.objects.order_by("pk").values_list("pk", "before", "after", "reason"))
        == values
    )


def test_the_purge_deletes_the_childs_photographs_from_disk_once_committed(
    users, django_capture_on_commit_callbacks
):
    """The photographs are files outside the database: a committed purge leaves none of them
    on disk (and a purge not yet committed has not touched them)."""
    manager = users[Role.MANAGER]
    child = ChildFactory.create()
    kept = people.photograph_add(
        actor=users[Role.MISSING_COORDINATOR],
        child=child,
        image=io.BytesIO(photos.jpeg(400, 300)),
        taken_on=timezone.localdate(),
        taken_by="Test foster carer",
    )
    path = Path(kept.image.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        services.retention_purge(actor=manager, review=_review_of(child), reason="End of period")
    assert path.exists()  # not until the purge commits
    for callback in waiting:
        callback()
    assert not path.exists()
    assert not Child.objects.filter(pk=child.pk).exists()
