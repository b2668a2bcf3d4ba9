"""Creating, changing and keeping the history of children's records (C1), with audit (C11)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.lib.concurrency import EditConflict
from mace.people import services
from mace.people.models import Child, LegalStatus, LegalStatusKind
from mace.people.tests.factories import ChildFactory, LocalAuthorityFactory


@pytest.fixture
def worker(users):
    return users[Role.SOCIAL_WORKER]


@pytest.mark.django_db
def test_create_gives_a_reference_a_current_status_and_an_audit_entry(worker, team):
    child = services.child_create(
        actor=worker,
        first_name="Riley",
        last_name="Marsh",
        date_of_birth=datetime.date(2011, 4, 2),
        gender="female",
        legal_status=LegalStatusKind.CIN,
        legal_status_start=datetime.date(2026, 1, 10),
        aliases=["Ri", " "],
    )
    assert child.reference == f"MC-{child.pk:06d}"
    assert list(child.aliases.values_list("name", flat=True)) == ["Ri"]
    status = child.legal_statuses.get()
    assert (status.status, status.start_date, status.end_date) == (
        "CIN",
        datetime.date(2026, 1, 10),
        None,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, child_id=child.public_id)
    assert event.actor == worker
    assert event.after["first_name"] == "Riley"
    assert event.after["legal_status"] == "CIN"


@pytest.mark.django_db
def test_update_records_before_and_after(worker, team):
    child = ChildFactory(allocated_worker=worker, team=team, school="Old School")
    services.child_update(
        actor=worker, child=child, expected_version=child.version, school="New Academy"
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, child_id=child.public_id)
    assert event.before == {"school": "Old School"}
    assert event.after == {"school": "New Academy"}
    child.refresh_from_db()
    assert child.version == 2


@pytest.mark.django_db
def test_second_of_two_edits_gets_a_conflict_and_overwrites_nothing(worker, team):
    child = ChildFactory(allocated_worker=worker, team=team, school="Old School")
    started_at = child.version
    services.child_update(actor=worker, child=child, expected_version=started_at, school="First")
    with pytest.raises(EditConflict):
        services.child_update(actor=worker, child=child, expected_version=started_at, gp="Second")
    child.refresh_from_db()
    assert (child.school, child.gp) == ("First", "")


@pytest.mark.django_db
def test_legal_status_history_is_kept(worker, team):
    child = ChildFactory(allocated_worker=worker, team=team)
    LegalStatus.objects.create(child=child, status="CIN", start_date=datetime.date(2025, 1, 1))
    services.legal_status_change(
        actor=worker, child=child, status="CLA", start_date=datetime.date(2025, 9, 1)
    )
    history = list(
        child.legal_statuses.order_by("start_date").values_list("status", "start_date", "end_date")
    )
    assert history == [
        ("CIN", datetime.date(2025, 1, 1), datetime.date(2025, 8, 31)),
        ("CLA", datetime.date(2025, 9, 1), None),
    ]


@pytest.mark.django_db
def test_legal_status_cannot_start_before_the_current_one(worker, team):
    child = ChildFactory(allocated_worker=worker, team=team)
    LegalStatus.objects.create(child=child, status="CIN", start_date=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError) as raised:
        services.legal_status_change(
            actor=worker, child=child, status="CP", start_date=datetime.date(2024, 12, 1)
        )
    assert "must start after the current one" in str(raised.value)
    assert child.legal_statuses.count() == 1


@pytest.mark.django_db
def test_placement_history_with_placing_and_host_authority(worker, team):
    child = ChildFactory(allocated_worker=worker, team=team)
    home, other = LocalAuthorityFactory(), LocalAuthorityFactory()
    first = services.placement_add(
        actor=worker,
        child=child,
        kind="foster",
        placing_authority=home,
        host_authority=home,
        start_date=datetime.date(2025, 3, 1),
    )
    second = services.placement_add(
        actor=worker,
        child=child,
        kind="childrens_home",
        placing_authority=home,
        host_authority=other,
        start_date=datetime.date(2025, 10, 1),
    )
    first.refresh_from_db()
    assert first.end_date == datetime.date(2025, 9, 30)
    assert second.end_date is None
    assert second.out_of_area
    assert not first.out_of_area


@pytest.mark.django_db
def test_merge_keeps_both_histories(users, team):
    manager = users[Role.MANAGER]
    keep = ChildFactory(first_name="Jordan", last_name="Price", team=team)
    duplicate = ChildFactory(first_name="Jordon", last_name="Price", team=team)
    LegalStatus.objects.create(child=keep, status="CIN", start_date=datetime.date(2025, 1, 1))
    LegalStatus.objects.create(
        child=duplicate,
        status="EH",
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 6, 1),
    )
    duplicate.aliases.create(name="JP")
    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)

    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    statuses = set(keep.legal_statuses.values_list("status", flat=True))
    assert statuses == {"CIN", "EH"}
    aliases = set(keep.aliases.values_list("name", flat=True))
    assert {"JP", "Jordon Price"} <= aliases
    assert keep.identifiers.filter(value=f"merged:{duplicate.reference}").exists()
    merged_events = AuditEvent.objects.filter(action=AuditEvent.Action.MERGE)
    assert {e.child_id for e in merged_events} == {keep.public_id, duplicate.public_id}


@pytest.mark.django_db
def test_merged_record_is_no_longer_found_but_still_opens(users, team, client_for):
    manager = users[Role.MANAGER]
    keep = ChildFactory(last_name="Okafor", team=team)
    duplicate = ChildFactory(last_name="Okafor", team=team)
    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)
    client = client_for(manager)
    page = client.post("/children/", {"query": "Okafor"}).content.decode()
    assert str(keep.public_id) in page
    assert str(duplicate.public_id) not in page
    opened = client.get(f"/children/{duplicate.public_id}/").content.decode()
    assert "This record was merged into" in opened


@pytest.mark.django_db
def test_a_record_cannot_be_merged_twice(users, team):
    manager = users[Role.MANAGER]
    keep, duplicate = ChildFactory(team=team), ChildFactory(team=team)
    services.child_merge(actor=manager, keep=keep, duplicate=duplicate)
    with pytest.raises(ValidationError):
        services.child_merge(actor=manager, keep=keep, duplicate=duplicate)


@pytest.mark.django_db
def test_viewing_a_record_is_audited(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team)
    client_for(worker).get(f"/children/{child.public_id}/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.actor, event.child_id) == (worker, child.public_id)


@pytest.mark.django_db
def test_refused_access_is_audited(users, team, client_for):
    child = ChildFactory()
    client_for(users[Role.RHI_WORKER]).get(f"/children/{child.public_id}/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED)
    assert event.child_id == child.public_id


@pytest.mark.django_db
def test_create_page_with_missing_details_explains_what_to_fix_and_saves_nothing(users, client_for):
    client = client_for(users[Role.SOCIAL_WORKER])
    response = client.post(
        "/children/new/",
        {"first_name": "Sam", "last_name": "", "legal_status": "NONE"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the child" in page
    assert "Enter date of birth" in page
    assert "Select the child&#x27;s gender" in page
    assert "This field is required" not in page
    assert 'value="Sam"' in page
    assert Child.objects.count() == 0


@pytest.mark.django_db
def test_edit_page_reports_a_conflict_and_keeps_the_users_changes(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team, school="Old School")
    services.child_update(actor=worker, child=child, expected_version=1, gp="Elm Surgery")
    client = client_for(worker)
    form = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth_0": child.date_of_birth.day,
        "date_of_birth_1": child.date_of_birth.month,
        "date_of_birth_2": child.date_of_birth.year,
        "gender": child.gender,
        "ethnicity": child.ethnicity,
        "school": "Typed By Second Person",
        "version": 1,
    }
    response = client.post(f"/children/{child.public_id}/edit/", form)
    page = response.content.decode()
    assert "Someone else saved this record" in page
    assert "Typed By Second Person" in page
    child.refresh_from_db()
    assert (child.school, child.gp) == ("Old School", "Elm Surgery")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("what", "form", "check"),
    [
        ("alias", {"name": "Little J"}, lambda c: c.aliases.filter(name="Little J").exists()),
        (
            "identifier",
            {"kind": "nhs", "value": "9990001112"},
            lambda c: c.identifiers.filter(value="9990001112").exists(),
        ),
        (
            "address",
            {"kind": "home", "address": "4 Quarry Lane", "postcode": "ZZ1 1ZZ"},
            lambda c: c.addresses.filter(postcode="ZZ1 1ZZ").exists(),
        ),
        (
            "parent-or-carer",
            {"name": "Dana Pike", "relationship": "mother", "parental_responsibility": "on"},
            lambda c: c.related_people.filter(
                name="Dana Pike", parental_responsibility=True
            ).exists(),
        ),
        (
            "professional",
            {
                "kind": "school",
                "name": "Head of year, Hillside Academy",
                "start_date_0": "1",
                "start_date_1": "9",
                "start_date_2": "2025",
            },
            lambda c: c.involvements.filter(kind="school").exists(),
        ),
        (
            "legal-status",
            {"status": "CP", "start_date_0": "2", "start_date_1": "2", "start_date_2": "2026"},
            lambda c: c.legal_statuses.filter(status="CP", end_date__isnull=True).exists(),
        ),
    ],
)
def test_add_pages_record_and_audit(what, form, check, users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team)
    response = client_for(worker).post(f"/children/{child.public_id}/add/{what}/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert check(child)
    assert AuditEvent.objects.filter(child_id=child.public_id).exclude(action="view").exists()


@pytest.mark.django_db
def test_add_page_with_bad_input_explains_and_saves_nothing(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    child = ChildFactory(allocated_worker=worker, team=team)
    response = client_for(worker).post(
        f"/children/{child.public_id}/add/legal-status/",
        {"status": "CP", "start_date_0": "31", "start_date_1": "2", "start_date_2": "2026"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not child.legal_statuses.filter(status="CP").exists()
