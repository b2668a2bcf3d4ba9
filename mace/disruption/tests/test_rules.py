"""A3: each action of a disruption plan is on a worklist until its outcome is recorded."""

import datetime

import pytest
from django.utils import timezone

from mace.accounts.models import Agency
from mace.disruption.models import Heading
from mace.disruption.services import disruption_action_create, disruption_action_outcome_record
from mace.disruption.tests.factories import library_option
from mace.people.tests.factories import ChildFactory
from mace.worklist.models import DueItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users, team):
    return ChildFactory.create(allocated_worker=users["social_worker"], team=team)


def add_action(users, child, agency: Agency, **overrides):
    arguments = {
        "actor": users["social_worker"],
        "child": child,
        "heading": Heading.DISRUPT,
        "option": library_option(2, 1),
        "description": "Police to serve a child abduction warning notice",
        "owner": users["police_officer"],
        "agency": agency,
        "due_date": timezone.localdate() + datetime.timedelta(days=7),
        "monitor": users["social_worker"],
    }
    arguments.update(overrides)
    return disruption_action_create(**arguments)


def test_A3_an_action_is_due_for_its_owner_on_its_due_date(users, child, agency):
    action = add_action(users, child, agency)

    item = DueItem.objects.get(rule="A3")
    assert item.assignee == users["police_officer"]
    assert timezone.localtime(item.due_at).date() == action.due_date
    assert timezone.localtime(item.due_at).hour == 17
    assert item.status == DueItem.Status.OPEN
    assert "Disrupt" in item.title


def test_A3_an_owner_outside_mace_puts_the_action_on_the_monitors_worklist(users, child, agency):
    add_action(users, child, agency, owner=None, owner_name="Ali Mentor, youth club")

    item = DueItem.objects.get(rule="A3")
    assert item.assignee == users["social_worker"]
    assert "follow up" in item.title


def test_A3_recording_the_outcome_closes_the_item(users, child, agency):
    action = add_action(users, child, agency)

    disruption_action_outcome_record(
        actor=users["police_officer"], action=action, outcome="Notice served on 3 November"
    )

    item = DueItem.objects.get(rule="A3")
    assert item.status == DueItem.Status.DONE
    assert item.closed_at is not None


def test_A3_each_action_has_its_own_item(users, child, agency):
    add_action(users, child, agency)
    add_action(users, child, agency, heading=Heading.SUPPORT, option=library_option(17, 5))

    assert DueItem.objects.filter(rule="A3", status="open").count() == 2
