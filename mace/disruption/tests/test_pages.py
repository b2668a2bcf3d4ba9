"""Disruption plans and outcomes through the pages: who may see and do what, role by role
both ways; restricted outcomes as each role sees them; bad input that loses nothing."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.accounts.models import Role
from mace.disruption.models import DisruptionAction, DisruptionOutcome, Heading
from mace.disruption.selectors import outcome_counts
from mace.disruption.tests.factories import DisruptionOutcomeFactory, library_option
from mace.intelligence.selectors import RESTRICTED_MARKER
from mace.intelligence.tests.factories import LocationFactory, PersonOfConcernFactory
from mace.people.models import Involvement
from mace.people.tests.factories import ChildFactory, InvolvementFactory
from mace.worklist.models import DueItem, Notification

pytestmark = pytest.mark.django_db

PLANNERS = ["police_officer", "social_worker", "missing_coordinator", "manager"]
READ_ONLY = ["rhi_worker", "inclusion_officer", "panel_member"]
NO_CHILD_RECORDS = ["analyst", "auditor", "administrator"]
CLEARED = ["police_officer", "missing_coordinator", "manager"]


def test_every_role_is_covered():
    assert set(PLANNERS + READ_ONLY + NO_CHILD_RECORDS) == {r.value for r in Role}


@pytest.fixture
def child(users, team):
    child = ChildFactory.create(
        first_name="Philippa",
        last_name="Wrenfield",
        allocated_worker=users["social_worker"],
        team=team,
    )
    for role in READ_ONLY:
        InvolvementFactory.create(child=child, user=users[role], kind=Involvement.Kind.OTHER)
    return child


def action_form(agency, owner, monitor, **overrides):
    due = timezone.localdate() + datetime.timedelta(days=14)
    data = {
        "heading": Heading.DISRUPT,
        "option": str(library_option(2, 1).pk),
        "aim": "",
        "description": "Serve a warning notice on the adult seen with her",
        "owner": str(owner.pk),
        "owner_name": "",
        "agency": str(agency.pk),
        "due_date_0": str(due.day),
        "due_date_1": str(due.month),
        "due_date_2": str(due.year),
        "monitor": str(monitor.pk),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role_user", PLANNERS, indirect=True)
def test_those_who_assess_the_risk_add_actions(role_user, client_for, child, agency, users):
    url = f"/disruption/children/{child.public_id}/actions/new/"
    response = client_for(role_user).post(
        url, action_form(agency, users["police_officer"], role_user)
    )

    assert response.status_code == 302
    action = DisruptionAction.objects.get(child=child)
    assert action.aim == library_option(2, 1).aim
    assert action.created_by == role_user


@pytest.mark.parametrize("role_user", READ_ONLY + NO_CHILD_RECORDS, indirect=True)
def test_others_cannot_add_actions(role_user, client_for, child, agency, users):
    url = f"/disruption/children/{child.public_id}/actions/new/"
    response = client_for(role_user).post(
        url, action_form(agency, users["police_officer"], users["social_worker"])
    )

    assert response.status_code in (403, 404)
    assert not DisruptionAction.objects.exists()


@pytest.mark.parametrize("role_user", PLANNERS + READ_ONLY, indirect=True)
def test_everyone_who_may_open_the_child_sees_the_plan(role_user, client_for, child, agency, users):
    client_for(users["social_worker"]).post(
        f"/disruption/children/{child.public_id}/actions/new/",
        action_form(agency, users["police_officer"], users["social_worker"]),
    )

    page = client_for(role_user).get(f"/disruption/children/{child.public_id}/").content.decode()

    assert "Serve a warning notice on the adult seen with her" in page
    assert "Implement the abduction warnings and orders strategy." in page


@pytest.mark.parametrize("role_user", NO_CHILD_RECORDS, indirect=True)
def test_roles_without_child_records_do_not_see_the_plan(role_user, client_for, child):
    response = client_for(role_user).get(f"/disruption/children/{child.public_id}/")
    assert response.status_code in (403, 404)


def test_a_social_worker_not_working_with_the_child_cannot_open_the_plan(client_for, child, agency):
    from mace.accounts.tests.factories import UserFactory

    stranger = UserFactory.create(role=Role.SOCIAL_WORKER, agency=agency)
    response = client_for(stranger).get(f"/disruption/children/{child.public_id}/")
    assert response.status_code in (403, 404)


def test_the_owner_is_told_and_records_the_outcome_from_the_worklist(
    users, client_for, child, agency
):
    owner = users["rhi_worker"]  # involved with the child, not a planner
    client_for(users["social_worker"]).post(
        f"/disruption/children/{child.public_id}/actions/new/",
        action_form(agency, owner, users["social_worker"], heading=Heading.SUPPORT),
    )
    action = DisruptionAction.objects.get()
    alert = Notification.objects.get(user=owner, kind="disruption_action")
    assert alert.url == f"/disruption/children/{child.public_id}/"
    worklist = client_for(owner).get("/worklist/").content.decode()
    assert f"/disruption/children/{child.public_id}/" in worklist

    response = client_for(owner).post(
        f"/disruption/actions/{action.public_id}/outcome/", {"outcome": "She now has the numbers"}
    )

    action.refresh_from_db()
    assert response.status_code == 302
    assert action.outcome == "She now has the numbers"
    assert DueItem.objects.get(rule="A3").status == DueItem.Status.DONE


def test_someone_who_neither_owns_nor_monitors_nor_plans_cannot_record_the_outcome(
    users, client_for, child, agency
):
    client_for(users["social_worker"]).post(
        f"/disruption/children/{child.public_id}/actions/new/",
        action_form(agency, users["police_officer"], users["social_worker"]),
    )
    action = DisruptionAction.objects.get()

    response = client_for(users["panel_member"]).post(
        f"/disruption/actions/{action.public_id}/outcome/", {"outcome": "Done"}
    )

    action.refresh_from_db()
    assert response.status_code == 403
    assert action.outcome == ""


def test_an_action_with_neither_aim_nor_option_nor_owner_is_refused_and_keeps_what_was_typed(
    users, client_for, child, agency
):
    data = action_form(agency, users["police_officer"], users["social_worker"])
    data.update({"option": "", "aim": "", "owner": "", "owner_name": ""})

    response = client_for(users["social_worker"]).post(
        f"/disruption/children/{child.public_id}/actions/new/", data
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert "Choose a strategic aim, or an intervention option from the library" in page
    assert "Choose who owns the action, or name an owner outside MACE" in page
    assert "Serve a warning notice on the adult seen with her" in page
    assert not DisruptionAction.objects.exists()


def test_an_owner_who_cannot_open_the_record_is_refused(users, client_for, child, agency):
    data = action_form(agency, users["analyst"], users["social_worker"])

    page = (
        client_for(users["social_worker"])
        .post(f"/disruption/children/{child.public_id}/actions/new/", data)
        .content.decode()
    )

    assert "cannot open this child&#x27;s record" in page
    assert not DisruptionAction.objects.exists()


def test_an_option_under_another_aim_is_refused(users, client_for, child, agency):
    data = action_form(agency, users["police_officer"], users["social_worker"])
    data["aim"] = str(library_option(6, 1).aim.pk)

    page = (
        client_for(users["social_worker"])
        .post(f"/disruption/children/{child.public_id}/actions/new/", data)
        .content.decode()
    )

    assert "The option you chose comes under a different aim" in page
    assert not DisruptionAction.objects.exists()


def outcome_form(agency, kind=DisruptionOutcome.Kind.PROTECTIVE, day=None):
    day = day or timezone.localdate()
    return {
        "kind": kind,
        "occurred_on_0": str(day.day),
        "occurred_on_1": str(day.month),
        "occurred_on_2": str(day.year),
        "agency": str(agency.pk),
        "details": "Child protection plan agreed",
    }


@pytest.mark.parametrize("role_user", PLANNERS, indirect=True)
def test_planners_record_an_outcome_for_a_child(role_user, client_for, child, agency):
    response = client_for(role_user).post(
        f"/disruption/children/{child.public_id}/outcomes/new/", outcome_form(agency)
    )

    assert response.status_code == 302
    assert DisruptionOutcome.objects.get().child == child


@pytest.mark.parametrize("role_user", READ_ONLY + NO_CHILD_RECORDS, indirect=True)
def test_others_cannot_record_an_outcome(role_user, client_for, child, agency):
    response = client_for(role_user).post(
        f"/disruption/children/{child.public_id}/outcomes/new/", outcome_form(agency)
    )

    assert response.status_code in (403, 404)
    assert not DisruptionOutcome.objects.exists()


@pytest.mark.parametrize("role_user", CLEARED, indirect=True)
def test_cleared_roles_record_an_outcome_against_a_person_of_concern(role_user, client_for, agency):
    person = PersonOfConcernFactory.create(first_name="Ambrose", last_name="Thistlewood")

    response = client_for(role_user).post(
        f"/disruption/persons/{person.public_id}/outcomes/new/",
        outcome_form(agency, DisruptionOutcome.Kind.SEXUAL_RISK_ORDER),
    )

    assert response.status_code == 302
    assert DisruptionOutcome.objects.get().person == person


@pytest.mark.parametrize(
    "role_user", ["social_worker", *READ_ONLY, *NO_CHILD_RECORDS], indirect=True
)
def test_uncleared_roles_cannot_record_against_a_person_or_place(role_user, client_for, agency):
    person = PersonOfConcernFactory.create()
    place = LocationFactory.create()

    for url in (
        f"/disruption/persons/{person.public_id}/outcomes/new/",
        f"/disruption/locations/{place.public_id}/outcomes/new/",
    ):
        response = client_for(role_user).post(url, outcome_form(agency))
        assert response.status_code == 403
    assert not DisruptionOutcome.objects.exists()


def test_a_future_date_is_refused_with_a_message(users, client_for, child, agency):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    page = (
        client_for(users["police_officer"])
        .post(
            f"/disruption/children/{child.public_id}/outcomes/new/",
            outcome_form(agency, day=tomorrow),
        )
        .content.decode()
    )

    assert "The date must be today or in the past" in page
    assert "Child protection plan agreed" in page
    assert not DisruptionOutcome.objects.exists()


@pytest.fixture
def outcomes(users, child, agency):
    """A warning notice naming a person, a licence revoked at a place, and a CP plan."""
    person = PersonOfConcernFactory.create(first_name="Ambrose", last_name="Thistlewood")
    place = LocationFactory.create(name="Kebab house on the parade")
    made = users["police_officer"]
    return [
        DisruptionOutcomeFactory.create(
            kind="cawn", child=child, person=person, agency=agency, recorded_by=made
        ),
        DisruptionOutcomeFactory.create(
            kind="licensing", location=place, agency=agency, recorded_by=made
        ),
        DisruptionOutcomeFactory.create(
            kind="protective", child=child, agency=agency, recorded_by=made
        ),
    ]


@pytest.mark.parametrize("role_user", ["social_worker", *READ_ONLY], indirect=True)
def test_uncleared_roles_see_that_an_outcome_is_withheld_never_its_content(
    role_user, client_for, child, outcomes
):
    page = client_for(role_user).get(f"/disruption/children/{child.public_id}/").content.decode()

    assert RESTRICTED_MARKER in page
    assert "Thistlewood" not in page
    assert "Child abduction warning notice" not in page
    assert "Protective action by children" in page


@pytest.mark.parametrize("role_user", CLEARED, indirect=True)
def test_cleared_roles_see_every_outcome_of_the_child(role_user, client_for, child, outcomes):
    page = client_for(role_user).get(f"/disruption/children/{child.public_id}/").content.decode()

    assert RESTRICTED_MARKER not in page
    assert "Ambrose Thistlewood" in page
    assert "Child abduction warning notice" in page


def test_counts_for_uncleared_roles_leave_out_intelligence_and_say_so(users, outcomes):
    today = timezone.localdate()

    cleared = outcome_counts(actor=users["manager"], start=today, end=today)
    uncleared = outcome_counts(actor=users["social_worker"], start=today, end=today)
    analyst = outcome_counts(actor=users["analyst"], start=today, end=today)

    assert cleared.counts == {"cawn": 1, "licensing": 1, "protective": 1}
    assert not cleared.withheld
    for counts in (uncleared, analyst):
        assert counts.counts == {"protective": 1}
        assert counts.withheld


@pytest.mark.parametrize("role_user", ["social_worker", "panel_member", "analyst"], indirect=True)
def test_the_outcomes_page_shows_uncleared_roles_no_intelligence(role_user, client_for, outcomes):
    page = client_for(role_user).get("/disruption/outcomes/").content.decode()

    assert RESTRICTED_MARKER in page
    assert "Thistlewood" not in page
    assert "Kebab house" not in page


@pytest.mark.parametrize("role_user", CLEARED, indirect=True)
def test_the_outcomes_page_shows_cleared_roles_everything(role_user, client_for, outcomes):
    page = client_for(role_user).get("/disruption/outcomes/").content.decode()

    assert "Ambrose Thistlewood" in page
    assert "Kebab house on the parade" in page
    assert RESTRICTED_MARKER not in page


@pytest.mark.parametrize(
    "role_user", ["rhi_worker", "inclusion_officer", "auditor", "administrator"], indirect=True
)
def test_roles_without_the_dataset_do_not_open_the_outcomes_page(role_user, client_for):
    assert client_for(role_user).get("/disruption/outcomes/").status_code == 403


def test_a_badly_written_quarter_says_how_to_write_it(users, client_for):
    page = client_for(users["manager"]).get("/disruption/outcomes/?quarter=autumn").content.decode()

    assert "write it as a year, Q and 1 to 4, like 2026Q3" in page


def test_the_childs_record_links_to_the_plan_with_its_open_actions(
    users, client_for, child, agency
):
    client_for(users["social_worker"]).post(
        f"/disruption/children/{child.public_id}/actions/new/",
        action_form(agency, users["police_officer"], users["social_worker"]),
    )

    page = client_for(users["social_worker"]).get(f"/children/{child.public_id}/").content.decode()

    assert f"/disruption/children/{child.public_id}/" in page
    assert "1 open action" in page


def test_the_person_outcome_form_offers_linked_children_but_not_restricted_ones(
    users, client_for, child
):
    from mace.intelligence.models import Link
    from mace.intelligence.tests.factories import LinkFactory

    person = PersonOfConcernFactory.create()
    hidden = ChildFactory.create(first_name="Seraphina", last_name="Duckworth", is_restricted=True)
    unlinked = ChildFactory.create(first_name="Barnaby", last_name="Fitzwilliam")
    LinkFactory.create(child=child, person=person, kind=Link.Kind.EXPLOITER)
    LinkFactory.create(child=hidden, person=person, kind=Link.Kind.EXPLOITER)

    page = (
        client_for(users["police_officer"])
        .get(f"/disruption/persons/{person.public_id}/outcomes/new/")
        .content.decode()
    )

    assert f"Philippa Wrenfield ({child.reference})" in page
    assert "Duckworth" not in page
    assert escape(unlinked.last_name) not in page


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_outcomes_page_shows_a_restricted_child_by_reference_only_until_a_reason_is_given(
    role, users, client_for, child, outcomes
):
    child.is_restricted = True
    child.save(update_fields=["is_restricted"])
    response = client_for(users[role]).get("/disruption/outcomes/")
    if role in {"rhi_worker", "inclusion_officer", "auditor", "administrator"}:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "Wrenfield" in page if role in {"social_worker", "manager"} else "Wrenfield" not in page
    if role in {"police_officer", "missing_coordinator", "panel_member"}:
        assert child.reference in page
        assert "Restricted" in page


@pytest.mark.parametrize("role", ["analyst", "panel_member", *PLANNERS])
def test_analysts_see_small_disruption_counts_suppressed_others_as_counted(
    role, users, client_for, outcomes
):
    page = client_for(users[role]).get("/disruption/outcomes/").content.decode()
    table = page[page.index('data-testid="outcome-counts"') :].split("</table>")[0]
    protective = table[table.index("Protective action by children") :].split("</tr>")[0]
    if role == "analyst":
        assert "&lt;5" in protective
        assert ">1<" not in protective
    else:
        assert ">1<" in protective
