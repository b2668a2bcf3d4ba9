"""The subject access export (SPEC C11, issue 20 point 2): everything held about a child as a
zip of a PDF and JSON, intelligence and third-party information marked for redaction review,
audited as an export."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.audit.services import audit_record
from mace.documents.tests.pdf import pdf_text
from mace.episodes.services import episode_report
from mace.people.services import child_merge
from mace.people.tests.factories import ChildFactory
from mace.subject_access import collector, render, services
from mace.subject_access.sources import ANOTHER_CHILDS_RECORD, AUDIT_HEADING, SOURCES
from mace.subject_access.tests.records import (
    INFORMANT,
    INTELLIGENCE_TEXT,
    OTHER_CHILD,
    PARENT,
    PERSON_OF_CONCERN,
    child_with_everything,
)


@pytest.fixture
def manager(users):
    return users[Role.MANAGER]  # cleared for intelligence (conftest)


@pytest.fixture
def everything(users):
    return child_with_everything(users)


def unzip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, json.loads(archive.read(render.JSON_NAME))


def section(data, heading):
    return next(s for s in data["sections"] if s["heading"] == heading)


def test_every_section_has_the_childs_records(everything, manager):
    export = collector.collect(everything.child, actor=manager)
    empty = [s.heading for s in export.sections if not s.records]
    assert not empty, f"No records found for {empty}"
    assert [s.key for s in export.sections] == [*(s.label for s in SOURCES), "audit.auditevent"]


def test_the_zip_opens_and_the_json_holds_every_record_in_words(everything, manager):
    archive, data = unzip(services.subject_access_export(actor=manager, child=everything.child))
    assert {render.JSON_NAME, render.PDF_NAME, render.README_NAME} <= set(archive.namelist())
    assert any(name.startswith("documents/director-letter-1-") for name in archive.namelist())
    assert data["subject"]["reference"] == everything.child.reference
    assert data["record_counts"]["Missing episodes"] == 1
    episode = section(data, "Missing episodes")["records"][0]
    assert episode["type"] == "Missing episode"
    fields = {f["name"]: f for f in episode["fields"]}
    assert fields["kind"]["value"] == "missing"
    assert fields["kind"]["in_words"] == "Missing"
    assert fields["push_pull_factors"]["in_words"] == "Peer influence"
    assert fields["missing_from"]["in_words"] == "Care placement"
    # Every record's fields are all there, recorded or not, each with a label.
    child = section(data, "The child's record")["records"][0]
    assert {"first_name", "date_of_birth", "gender", "known_to_camhs"} <= {
        f["name"] for f in child["fields"]
    }
    assert all(f["label"] for f in child["fields"])


def test_the_zip_holds_the_childs_photographs_as_kept(everything, manager):
    archive, data = unzip(services.subject_access_export(actor=manager, child=everything.child))
    held = everything.child.photographs.get()
    names = [name for name in archive.namelist() if name.startswith("photographs/")]
    assert names == [f"photographs/photograph-1-{held.taken_on.isoformat()}.jpg"]
    with held.image.open("rb") as kept:
        assert archive.read(names[0]) == kept.read()
    assert "photographs/" in archive.read(render.README_NAME).decode()
    assert section(data, "Photographs")["records"]


def test_intelligence_and_third_party_information_are_marked_for_review(everything, manager):
    _, data = unzip(services.subject_access_export(actor=manager, child=everything.child))
    review = data["for_redaction_review"]
    reasons = {(item["section"], item["field"], item["reason"]) for item in review}
    notes = section(data, "Intelligence notes")["records"]
    assert notes
    assert all(r["for_redaction_review"] for r in notes)
    assert "Intelligence" in notes[0]["redaction_reasons"]
    assert ("Intelligence notes", "Source", "Names a source or informant") in reasons
    people = section(data, "Parents, carers and other people in the child's life")["records"]
    assert people[0]["for_redaction_review"]
    persons = section(data, "Persons of concern linked to the child")["records"]
    assert persons
    assert persons[0]["for_redaction_review"]
    # The other child they went missing with, by the relation and in free text.
    episode = section(data, "Missing episodes")["records"][0]
    fields = {f["name"]: f for f in episode["fields"]}
    assert fields["with_children"]["redaction_reason"] == "Names another child"
    assert fields["reported_by"]["for_redaction_review"]
    assert PARENT in fields["circumstances"]["redaction_reason"]
    interview = section(data, "Return home interviews")["records"][0]
    account = {f["name"]: f for f in interview["fields"]}["childs_account"]
    assert " ".join(OTHER_CHILD) in account["redaction_reason"]
    assert "another child" in account["redaction_reason"]
    # A field with nothing to hide is not marked.
    assert not {f["name"]: f for f in interview["fields"]}["provider_rule"]["for_redaction_review"]
    # The summary lists every marked field and record, and only those.
    marked = sum(
        len(r["redaction_reasons"]) + sum(1 for f in r["fields"] if f["for_redaction_review"])
        for s in data["sections"]
        for r in s["records"]
    )
    assert len(review) == marked


def test_the_pdf_has_a_section_for_each_record_type_and_the_marks(everything, manager):
    archive, _ = unzip(services.subject_access_export(actor=manager, child=everything.child))
    text = pdf_text(archive.read(render.PDF_NAME))
    flat = " ".join(text.split())
    for source in SOURCES:
        assert source.heading in flat, source.heading
    assert AUDIT_HEADING in flat
    assert "For redaction review" in flat
    assert "OFFICIAL-SENSITIVE" in flat
    assert "Page 1 of" in flat
    assert INTELLIGENCE_TEXT in flat
    assert everything.child.reference in flat


def test_the_audit_trail_of_who_viewed_the_child_is_in_it(everything, manager, users):
    worker = users[Role.SOCIAL_WORKER]
    audit_record(
        actor=worker,
        action=AuditEvent.Action.VIEW,
        obj=everything.child,
        child_id=everything.child.public_id,
        summary="Viewed record",
    )
    export = collector.collect(everything.child, actor=manager)
    audit = export.sections[-1]
    views = [r for r in audit.records if r.fields[2].value == "view"]
    assert views
    assert views[0].fields[1].text == worker.name_role_and_agency


def test_the_export_is_audited_as_an_export(everything, manager):
    before = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count()
    services.subject_access_export(actor=manager, child=everything.child)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("at")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == before + 1
    assert event.actor == manager
    assert event.child_id == everything.child.public_id
    assert event.object_type == "people.child"
    assert "subject access" in event.summary
    assert event.after["records"] > 30
    assert event.after["for_redaction_review"] > 0


def test_an_uncleared_manager_gets_no_intelligence_and_is_told(everything, manager):
    manager.intelligence_cleared = False
    manager.save()
    _, data = unzip(services.subject_access_export(actor=manager, child=everything.child))
    flat = json.dumps(data)
    assert INTELLIGENCE_TEXT not in flat
    assert INFORMANT not in flat
    assert " ".join(PERSON_OF_CONCERN) not in flat
    assert data["intelligence"] == {"included": False, "note": collector.INTELLIGENCE_LEFT_OUT}
    assert section(data, "Intelligence notes")["count"] == 0
    # Links to other children are not intelligence, and stay; those to persons and places go.
    links = section(data, "Links to other children, persons of concern and places")["records"]
    assert links
    for link in links:
        ends = {f["name"]: f["value"] for f in link["fields"]}
        assert ends["person"] is None
        assert ends["location"] is None
        assert ends.get("child") or ends.get("other_child")  # the other child


def test_records_merged_into_the_child_are_in_it_with_their_audit_trail(everything, manager, users):
    duplicate = ChildFactory(first_name="Skye", last_name="Testsubject")
    duplicate.aliases.create(name="Duplicate alias")
    audit_record(
        actor=users[Role.POLICE_OFFICER],
        action=AuditEvent.Action.VIEW,
        obj=duplicate,
        child_id=duplicate.public_id,
        summary="Viewed the duplicate",
    )
    child_merge(actor=manager, keep=everything.child, duplicate=duplicate)
    _, data = unzip(services.subject_access_export(actor=manager, child=everything.child))
    assert data["subject"]["merged_records"] == [duplicate.reference]
    assert section(data, "The child's record")["count"] == 2
    summaries = [
        f["value"]
        for r in section(data, AUDIT_HEADING)["records"]
        for f in r["fields"]
        if f["name"] == "summary"
    ]
    assert "Viewed the duplicate" in summaries


def test_a_merged_away_record_points_to_the_record_it_joined(everything, manager):
    duplicate = ChildFactory()
    child_merge(actor=manager, keep=everything.child, duplicate=duplicate)
    duplicate.refresh_from_db()
    with pytest.raises(ValidationError, match=everything.child.reference):
        services.subject_access_export(actor=manager, child=duplicate)


def test_another_childs_episode_naming_the_child_is_in_it_whole_for_review(
    everything, manager, users
):
    """An episode of another child who went missing with this one names this child: it is
    held about them too, and it is all about someone else."""
    now = timezone.now()
    theirs = episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=everything.other,
        kind="missing",
        missing_from="home",
        last_seen_at=now - datetime.timedelta(hours=3),
        reported_at=now - datetime.timedelta(hours=2),
        with_children=[everything.child],
        circumstances="Their own circumstances",
    )
    _, data = unzip(services.subject_access_export(actor=manager, child=everything.child))
    episodes = section(data, "Missing episodes")["records"]
    assert [e["id"] for e in episodes if e["redaction_reasons"]] == [str(theirs.public_id)]
    other = next(e for e in episodes if e["id"] == str(theirs.public_id))
    assert other["redaction_reasons"] == [ANOTHER_CHILDS_RECORD]
    assert not any(e["redaction_reasons"] for e in episodes if e["id"] != str(theirs.public_id))
