"""Reassigning a due item from a worklist (issue 19): who may (the missing coordinator and
managers, role by role both ways), to whom (the item's team or role, who can see the child),
audited, the new owner told, and the scheduled checks chasing the new owner."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.html import escape

from mace.access import policy
from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory, UserFactory
from mace.audit.models import AuditEvent
from mace.episodes import services as episodes
from mace.meetings import services as meetings_services
from mace.meetings.models import MeetingAction
from mace.people.models import LegalStatus
from mace.people.tests.factories import ChildFactory
from mace.worklist import selectors
from mace.worklist.engine import sync_child
from mace.worklist.models import DueItem, Notification
from mace.worklist.scheduled import run_scheduled_checks
from mace.worklist.services import item_reassign

HOUR = datetime.timedelta(hours=1)
MAY_REASSIGN = {Role.MISSING_COORDINATOR, Role.MANAGER}


@pytest.fixture
def setting(users, team):
    """A looked-after child of the social worker's, reported missing 30 hours ago: the rules
    put a strategy meeting (T3) on the worker's list, late. A colleague in the same team, and
    a social worker in another team who cannot see the child."""
    worker = users[Role.SOCIAL_WORKER]
    colleague = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name="Odile")
    stranger = UserFactory(
        role=Role.SOCIAL_WORKER, team=TeamFactory(agency=team.agency), first_name="Piran"
    )
    child = ChildFactory(allocated_worker=worker, team=team)
    LegalStatus.objects.create(child=child, status="CLA", start_date=datetime.date(2024, 1, 1))
    now = timezone.now()
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=now - 30 * HOUR,
        reported_at=now - 29 * HOUR,
    )
    item = DueItem.objects.get(child=child, rule="T3")
    assert item.assignee == worker
    assert item.status == DueItem.Status.OPEN
    return {"worker": worker, "colleague": colleague, "stranger": stranger, "item": item}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_only_the_coordinator_and_managers_may_reassign(users, setting, role):
    user = users[role]
    item = setting["item"]
    allowed = role in MAY_REASSIGN
    assert policy.can_reassign_item(user, item) is allowed
    assert policy.items_reassignable(user, [item]) == ({item.pk} if allowed else set())
    assert list(policy.reassign_candidates(user, item)) == (
        [setting["colleague"]] if allowed else []
    )


@pytest.mark.django_db
def test_a_closed_item_or_an_inactive_reassigner_cannot_be_reassigned(users, setting):
    manager = users[Role.MANAGER]
    item = setting["item"]
    item.status = DueItem.Status.DONE
    assert not policy.can_reassign_item(manager, item)
    item.status = DueItem.Status.OPEN
    manager.is_active = False
    assert not policy.can_reassign_item(manager, item)


@pytest.mark.django_db
def test_candidates_of_a_role_queue_are_that_roles_people(users, setting):
    police_item = DueItem.objects.get(child=setting["item"].child, rule="T1")
    other_officer = UserFactory(role=Role.POLICE_OFFICER, agency=users[Role.POLICE_OFFICER].agency)
    found = set(policy.reassign_candidates(users[Role.MISSING_COORDINATOR], police_item))
    assert found == {users[Role.POLICE_OFFICER], other_officer}


@pytest.mark.django_db
def test_reassigning_moves_the_item_audits_and_tells_the_new_owner(users, setting, client_for):
    manager, item = users[Role.MANAGER], setting["item"]
    worker, colleague = setting["worker"], setting["colleague"]
    item_reassign(actor=manager, item=item, to=colleague)
    item.refresh_from_db()
    assert (item.reassigned_to, item.reassigned_by, item.owner) == (colleague, manager, colleague)
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, object_id=str(item.public_id))
    assert event.actor == manager
    assert event.after == {"reassigned_to_id": colleague.pk}
    note = Notification.objects.get(user=colleague, kind="reassigned")
    assert note.due_item == item
    assert item.child.last_name not in note.title
    assert item in selectors.my_work(actor=colleague)
    assert item not in selectors.my_work(actor=worker)
    assert item in selectors.team_work(actor=manager)
    # Re-running the rules keeps it with the new owner.
    sync_child(item.child)
    item.refresh_from_db()
    assert item.reassigned_to == colleague
    assert item.status == DueItem.Status.OPEN


@pytest.mark.django_db
def test_reassigning_to_someone_who_cannot_see_the_child_is_refused(users, setting):
    with pytest.raises(ValidationError, match="Choose someone from the list"):
        item_reassign(
            actor=users[Role.MISSING_COORDINATOR], item=setting["item"], to=setting["stranger"]
        )
    assert DueItem.objects.get(pk=setting["item"].pk).reassigned_to is None


@pytest.mark.django_db
def test_a_social_worker_may_not_reassign(users, setting):
    with pytest.raises(PermissionDenied):
        item_reassign(actor=setting["worker"], item=setting["item"], to=setting["colleague"])


@pytest.mark.django_db
def test_the_overdue_reassigned_item_is_chased_with_its_new_owner(users, setting):
    item_reassign(actor=users[Role.MANAGER], item=setting["item"], to=setting["colleague"])
    run_scheduled_checks()
    told = set(
        Notification.objects.filter(due_item=setting["item"], kind="overdue").values_list(
            "user", flat=True
        )
    )
    assert told == {setting["colleague"].pk}


@pytest.mark.django_db
def test_the_reassign_page_goes_back_to_a_safe_next(users, setting, client_for):
    client = client_for(users[Role.MISSING_COORDINATOR])
    item = setting["item"]
    url = f"/worklist/items/{item.public_id}/reassign/"
    page = client.get(url, {"next": "/worklist/missing/?overdue=2"}).content.decode()
    assert escape(setting["colleague"].display_name) in page
    assert escape(setting["stranger"].display_name) not in page
    response = client.post(
        url, {"to": str(setting["colleague"].public_id), "next": "/worklist/missing/?overdue=2"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/worklist/missing/?overdue=2"
    item.refresh_from_db()
    assert item.reassigned_to == setting["colleague"]


@pytest.mark.django_db
def test_the_reassign_page_refuses_an_unsafe_next_and_an_empty_choice(users, setting, client_for):
    client = client_for(users[Role.MANAGER])
    url = f"/worklist/items/{setting['item'].public_id}/reassign/"
    response = client.post(url, {"next": "https://elsewhere.example/"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select who should do this" in page
    assert "There is a problem" in page
    assert "elsewhere.example" not in page
    response = client.post(
        url, {"to": str(setting["colleague"].public_id), "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == "/worklist/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role if r not in MAY_REASSIGN])
def test_the_reassign_page_is_refused_to_other_roles(users, setting, client_for, role):
    response = client_for(users[role]).get(f"/worklist/items/{setting['item'].public_id}/reassign/")
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_list_offers_reassign_only_to_those_who_may(users, setting, client_for):
    link = f"/worklist/items/{setting['item'].public_id}/reassign/"
    assert link in client_for(users[Role.MANAGER]).get("/worklist/team/").content.decode()
    assert link not in client_for(setting["worker"]).get("/worklist/").content.decode()


@pytest.mark.django_db
def test_a_meeting_action_is_marked_done_from_the_list(users, team, client_for):
    """ACT: the owner marks a strategy meeting's action done from their worklist, through
    the meetings app's own completion; other items offer no such button."""
    worker, officer = users[Role.SOCIAL_WORKER], users[Role.POLICE_OFFICER]
    child = ChildFactory(allocated_worker=worker, team=team)
    meetings_services.strategy_meeting_record(
        actor=worker,
        child=child,
        reason="significant_harm",
        held_at=timezone.now(),
        attendees="R Worker, CSC",
        s47_enquiry=True,
        actions=[
            meetings_services.ActionInput(
                "disrupt",
                "Serve a warning notice",
                timezone.localdate() + datetime.timedelta(3),
                owner=officer,
            )
        ],
    )
    client = client_for(officer)
    page = client.get("/worklist/").content.decode()
    assert page.count("Mark as done") == 1
    action = MeetingAction.objects.get(description="Serve a warning notice")
    assert f'name="action" value="{action.pk}"' in page
    response = client.post(
        f"/meetings/children/{child.public_id}/actions/", {"kind": "strategy", "action": action.pk}
    )
    assert response.status_code == 302
    assert DueItem.objects.get(rule="ACT", assignee=officer).status == DueItem.Status.DONE
    assert "Mark as done" not in client.get("/worklist/").content.decode()
