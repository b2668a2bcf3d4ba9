"""Worklists people can work from (issue 19): filters by rule, child, state, team and worker;
sorting; paging by 50; grouping by child; counts; the coordinator's list naming each child
once. The filters narrow only what the list already shows its user."""

import datetime
import itertools
import re

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory, UserFactory
from mace.people.tests.factories import ChildFactory
from mace.worklist.filters import due_in_words
from mace.worklist.models import DueItem

DAY = datetime.timedelta(days=1)
_keys = itertools.count()


def item(child, rule="T7", due=-DAY, role=Role.SOCIAL_WORKER, **extra):
    return DueItem.objects.create(
        key=f"test:{next(_keys)}",
        rule=rule,
        title=extra.pop("title", f"Do the {rule} thing"),
        child=child,
        role=role if not extra.get("assignee") and not extra.get("team") else "",
        due_at=timezone.now() + due,
        **extra,
    )


@pytest.fixture
def coordinator(users):
    return users[Role.MISSING_COORDINATOR]


@pytest.fixture
def queue(coordinator):
    """Items on the coordinator's role queue: two children, three rules, late and not."""
    ada = ChildFactory(first_name="Ada", last_name="Quennell")
    bo = ChildFactory(first_name="Bo", last_name="Ashdown")
    role = Role.MISSING_COORDINATOR
    return {
        "ada_late": item(ada, "T7", -3 * DAY, role, title="Ada late interview"),
        "ada_soon": item(ada, "T11", 2 * DAY, role, title="Ada letter"),
        "bo_late": item(bo, "T13", -DAY, role, title="Bo referral"),
        "bo_done": item(bo, "T7", -5 * DAY, role, title="Bo done interview", status="done"),
    }


def titles(page: str) -> list[str]:
    """The items' titles in the list's "What" column, in order."""
    return re.findall(
        r'<td class="govuk-table__cell">(Ada late interview|Ada letter|Bo referral|'
        r"Bo done interview)</td>",
        page,
    )


@pytest.mark.django_db
def test_the_list_shows_open_items_with_rules_in_words_and_counts(client_for, coordinator, queue):
    page = client_for(coordinator).get("/worklist/").content.decode()
    assert sorted(titles(page)) == ["Ada late interview", "Ada letter", "Bo referral"]
    assert "Return home interview" in page  # T7 in words
    assert "Letter to the placing authority&#x27;s director" in page
    assert re.search(r"<strong>3 items</strong>, 2 overdue", page)
    assert 'class="moj-filter-layout"' in page
    assert 'data-module="moj-filter"' in page


@pytest.mark.django_db
def test_filter_by_rule_lists_that_rule_only_and_says_so(client_for, coordinator, queue):
    page = client_for(coordinator).get("/worklist/?rule=T13").content.decode()
    assert titles(page) == ["Bo referral"]
    assert "<strong>1 item</strong>" in page
    assert "Rule: Referral after significant harm" in page


@pytest.mark.django_db
def test_filter_by_state_due_overdue_and_done(client_for, coordinator, queue):
    client = client_for(coordinator)
    overdue = client.get("/worklist/?state=overdue").content.decode()
    assert sorted(titles(overdue)) == ["Ada late interview", "Bo referral"]
    due = client.get("/worklist/?state=due").content.decode()
    assert titles(due) == ["Ada letter"]
    done = client.get("/worklist/?state=done").content.decode()
    assert titles(done) == ["Bo done interview"]
    assert "State: Done" in done


@pytest.mark.django_db
def test_filter_by_child_name_or_reference(client_for, coordinator, queue):
    client = client_for(coordinator)
    assert sorted(titles(client.get("/worklist/?child=quenn").content.decode())) == [
        "Ada late interview",
        "Ada letter",
    ]
    reference = queue["bo_late"].child.reference
    assert titles(client.get(f"/worklist/?child={reference}").content.decode()) == ["Bo referral"]


@pytest.mark.django_db
def test_child_search_never_finds_a_restricted_child_by_a_name_the_list_hides(
    client_for, coordinator
):
    hidden = ChildFactory(first_name="Ysolde", last_name="Marchbank", is_restricted=True)
    item(hidden, "T7", -DAY, Role.MISSING_COORDINATOR, title="Ada late interview")
    client = client_for(coordinator)
    listed = client.get("/worklist/").content.decode()
    assert "Marchbank" not in listed
    assert hidden.reference in listed
    assert titles(client.get("/worklist/?child=Marchbank").content.decode()) == []
    # Found by the reference the list shows.
    found = client.get(f"/worklist/?child={hidden.reference}").content.decode()
    assert titles(found) == []  # not openable without a reason, so not searchable either


@pytest.mark.django_db
def test_filter_by_team_and_worker_by_opaque_ids(client_for, users, team):
    manager = users[Role.MANAGER]
    worker = users[Role.SOCIAL_WORKER]
    other_worker = UserFactory(role=Role.SOCIAL_WORKER, team=team, first_name="Odile")
    elsewhere = TeamFactory(agency=team.agency, name="Edge of Care Team")
    mine = ChildFactory(team=team, allocated_worker=worker)
    item(mine, "T16", -DAY, assignee=worker, title="Ada late interview")
    item(mine, "T15", DAY, assignee=other_worker, title="Ada letter")
    item(ChildFactory(team=elsewhere), "T13", -DAY, team=elsewhere, title="Bo referral")
    client = client_for(manager)
    page = client.get(f"/worklist/team/?worker={worker.public_id}").content.decode()
    assert titles(page) == ["Ada late interview"]
    assert f"Worker: {escape(worker.display_name)}" in page
    # Never the database id: the opaque id may begin with the same digits, so match the whole value.
    assert not re.search(rf"[?&]worker={worker.pk}(?![0-9a-f-])", page)
    # The manager's team view holds only their team's work; the team filter narrows it.
    page = client.get(f"/worklist/team/?team={team.public_id}").content.decode()
    assert sorted(titles(page)) == ["Ada late interview", "Ada letter"]
    page = client.get(f"/worklist/team/?team={elsewhere.public_id}").content.decode()
    assert titles(page) == []


@pytest.mark.django_db
def test_a_filter_value_not_offered_says_what_to_fix_and_keeps_the_rest(
    client_for, coordinator, queue
):
    response = client_for(coordinator).get("/worklist/?rule=T99&child=Ada")
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-message" in page
    assert "Choose a rule from the list" in page
    assert 'value="Ada"' in page  # what was typed is kept
    assert sorted(titles(page)) == ["Ada late interview", "Ada letter"]


@pytest.mark.django_db
def test_sorting_by_child_and_rule_with_aria_sort(client_for, coordinator, queue):
    client = client_for(coordinator)
    page = client.get("/worklist/").content.decode()
    assert titles(page) == ["Ada late interview", "Bo referral", "Ada letter"]  # by due
    assert re.search(r'aria-sort="ascending"><a[^>]*href="\?sort=-due"', page)
    page = client.get("/worklist/?sort=child").content.decode()
    assert titles(page) == ["Bo referral", "Ada late interview", "Ada letter"]  # Ashdown first
    assert re.search(r'aria-sort="ascending"><a[^>]*href="\?sort=-child"', page)
    page = client.get("/worklist/?sort=-child").content.decode()
    assert titles(page) == ["Ada letter", "Ada late interview", "Bo referral"]
    assert re.search(r'aria-sort="descending"><a[^>]*href="\?sort=child"', page)
    page = client.get("/worklist/?sort=rule").content.decode()
    assert titles(page) == ["Ada late interview", "Ada letter", "Bo referral"]  # T7, T11, T13
    page = client.get("/worklist/?sort=nonsense").content.decode()
    assert titles(page) == ["Ada late interview", "Bo referral", "Ada letter"]


@pytest.mark.django_db
def test_grouping_by_child_puts_a_row_above_each_childs_items(client_for, coordinator, queue):
    page = client_for(coordinator).get("/worklist/?group=child").content.decode()
    assert page.count('data-testid="group-row"') == 2
    assert titles(page) == ["Bo referral", "Ada late interview", "Ada letter"]
    assert "grouped by child" in page


@pytest.mark.django_db
def test_paging_by_fifty(client_for, coordinator):
    child = ChildFactory()
    for number in range(120):
        item(child, "T7", -DAY * (number + 1), Role.MISSING_COORDINATOR, title=f"Item {number}")
    client = client_for(coordinator)
    first = client.get("/worklist/").content.decode()
    assert len(re.findall(r">Item \d+</td>", first)) == 50
    assert "Showing 1 to 50 of 120" in first
    assert "<strong>120 items</strong>, 120 overdue" in first
    last = client.get("/worklist/?page=3").content.decode()
    assert len(re.findall(r">Item \d+</td>", last)) == 20
    assert 'class="govuk-pagination' in last


@pytest.mark.django_db
def test_the_coordinators_interviews_list_each_child_once(client_for, coordinator):
    child = ChildFactory(first_name="Ada", last_name="Quennell")
    for days in (3, 5, 9):
        item(child, "T7", -days * DAY, Role.MISSING_COORDINATOR, title="Ada late interview")
    item(ChildFactory(first_name="Bo"), "T7", -DAY, Role.MISSING_COORDINATOR, title="Bo referral")
    page = client_for(coordinator).get("/worklist/missing/").content.decode()
    overdue = page.split('data-testid="interviews-overdue"')[1].split("</table>")[0]
    assert titles(overdue) == ["Ada late interview", "Bo referral"]
    assert "2 more for this child" in overdue


@pytest.mark.django_db
def test_due_in_words(queue):
    now = timezone.now()
    late = queue["ada_late"]
    assert due_in_words(late, now) == "Overdue by 3 days"
    late.due_at = now - datetime.timedelta(hours=1, minutes=5)
    assert due_in_words(late, now) == "Overdue by 1 hour"
    late.due_at = now + datetime.timedelta(minutes=20)
    assert due_in_words(late, now) == "Due in 20 minutes"
    assert due_in_words(queue["bo_done"], now) == "Done"


@pytest.mark.django_db
def test_due_in_words_reads_long_gaps_in_years_and_months(queue):
    """History overdue for years reads "Overdue by 4 years, 6 months", not "by 1668 days"."""
    item = queue["ada_late"]
    now = timezone.make_aware(datetime.datetime(2026, 12, 5, 12, 0))
    item.due_at = timezone.make_aware(datetime.datetime(2022, 6, 1, 9, 0))
    assert due_in_words(item, now) == "Overdue by 4 years, 6 months"
    item.due_at = timezone.make_aware(datetime.datetime(2025, 12, 5, 9, 0))
    assert due_in_words(item, now) == "Overdue by 1 year"
    item.due_at = timezone.make_aware(datetime.datetime(2026, 9, 30, 9, 0))
    assert due_in_words(item, now) == "Overdue by 2 months"
    item.due_at = timezone.make_aware(datetime.datetime(2027, 3, 6, 9, 0))
    assert due_in_words(item, now) == "Due in 3 months"
    # Under eight weeks, still days.
    item.due_at = now - datetime.timedelta(days=55)
    assert due_in_words(item, now) == "Overdue by 55 days"
