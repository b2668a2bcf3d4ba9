"""The child at a glance (issue 19 point 2): the header on every child page, from one
selector (`people.selectors.child_header`) that asks the access policy, in few queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mace.access import policy
from mace.accounts.models import Role
from mace.episodes import services as episodes
from mace.exploitation.tests.helpers import assess
from mace.people import selectors
from mace.people.models import LegalStatusKind
from mace.people.tests.factories import ChildFactory, LegalStatusFactory
from mace.worklist.models import DueItem

pytestmark = pytest.mark.django_db
NOW = timezone.now()
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def child(users, team):
    worker = users[Role.SOCIAL_WORKER]
    worker.first_name, worker.last_name = "Robin", "Ashdown"
    worker.save()
    child = ChildFactory(
        first_name="Tamsin",
        last_name="Holloway",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 14 + 30),
        allocated_worker=worker,
        team=team,
    )
    LegalStatusFactory(
        child=child,
        status=LegalStatusKind.CIN,
        start_date=timezone.localdate() - datetime.timedelta(days=40),
        end_date=None,
    )
    return child


@pytest.fixture
def missing(users, child):
    officer = users[Role.POLICE_OFFICER]
    episode = episodes.episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=NOW - 5 * HOUR,
        reported_at=NOW - 4 * HOUR,
    )
    episodes.episode_grade_risk(actor=officer, episode=episode, grade="high")
    return episode


def _overdue(child):
    """An open item past due (made after anything that brings the child's items up to date,
    which would close an item of no rule)."""
    return DueItem.objects.create(
        key=f"TEST:{child.pk}",
        rule="T7",
        title="Offer the return home interview",
        child=child,
        role=Role.MISSING_COORDINATOR,
        due_at=NOW - 2 * HOUR,
    )


@pytest.fixture
def overdue(child, missing):
    return _overdue(child)


def test_the_header_says_the_child_at_a_glance(users, child, missing, default_instrument):
    assess(users[Role.SOCIAL_WORKER], child, yes=["V1"])
    overdue = _overdue(child)
    header = selectors.child_header(actor=users[Role.MISSING_COORDINATOR], child=child)
    assert header is not None
    assert header.full
    assert header.age == 14
    assert header.legal_status == "Child in need"
    assert header.exploitation_level
    assert header.open_episode == missing
    assert header.missing_for is not None
    assert header.missing_for >= 5 * HOUR
    assert header.police_risk == "High"
    assert header.allocated_worker == "Robin Ashdown"
    assert header.overdue == [overdue]


def test_the_header_costs_few_queries_however_long_the_history(users, child, missing, overdue):
    actor = users[Role.MANAGER]
    for past in range(5):
        LegalStatusFactory(
            child=child,
            start_date=timezone.localdate() - datetime.timedelta(days=400 + 30 * past),
            end_date=timezone.localdate() - datetime.timedelta(days=390 + 30 * past),
        )
    with CaptureQueriesContext(connection) as queries:
        header = selectors.child_header(actor=actor, child=child)
        assert header is not None
        assert header.allocated_worker == "Robin Ashdown"
    assert len(queries) <= 9, [q["sql"] for q in queries]


@pytest.mark.parametrize("role", list(Role))
def test_the_header_shows_the_child_only_to_those_who_may_open_the_record(
    role, users, child, missing, overdue, client_for
):
    """Role by role, both ways: the header is there, in full, for those who may open the
    record, and on the page they may open; nobody else is shown it."""
    actor = users[role]
    header = selectors.child_header(actor=actor, child=child)
    allowed = bool(policy.can_view_child(actor, child))
    assert (header is not None) is allowed
    response = client_for(actor).get(f"/children/{child.public_id}/")
    page = response.content.decode()
    if allowed:
        assert header is not None
        assert header.full
        assert 'data-testid="child-header"' in page
        assert 'data-testid="child-header-missing"' in page
        assert "Offer the return home interview" in page
    else:
        assert response.status_code in {302, 403, 404}
        assert "Holloway" not in page


@pytest.mark.parametrize("role", list(Role))
def test_a_restricted_record_shows_only_its_reference_until_a_reason(
    role, users, child, missing, overdue
):
    child.is_restricted = True
    child.save()
    actor = users[role]
    header = selectors.child_header(actor=actor, child=child)
    decision = policy.can_view_child(actor, child)
    if not decision.allowed:
        assert header is None
    elif decision.needs_reason:
        assert header is not None
        assert not header.full
        assert header.restricted
        assert (header.age, header.police_risk, header.overdue) == (None, "", [])
        assert header.open_episode is None
    else:
        assert header is not None
        assert header.full
        assert header.restricted


def test_no_missing_tag_once_the_child_is_back(users, child, missing, client_for):
    episodes.episode_record_return(
        actor=users[Role.POLICE_OFFICER], episode=missing, returned_at=NOW - HOUR
    )
    header = selectors.child_header(actor=users[Role.MANAGER], child=child)
    assert header is not None
    assert header.open_episode is None
    assert header.police_risk == ""
    page = client_for(users[Role.MANAGER]).get(f"/children/{child.public_id}/").content.decode()
    assert 'data-testid="child-header-missing"' not in page


PAGES = [
    "/children/{child}/",
    "/episodes/{episode}/",
    "/exploitation/{child}/assessments/",
    "/disruption/children/{child}/",
    "/meetings/children/{child}/actions/",
    "/intelligence/children/{child}/",
    "/documents/{child}/director-letters/",
]


def test_every_child_page_carries_the_header(users, child, missing, client_for):
    client = client_for(users[Role.MANAGER])
    for path in PAGES:
        url = path.format(child=child.public_id, episode=missing.public_id)
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert page.count('data-testid="child-header"') == 1, url
        assert 'data-testid="child-header-missing"' in page, url


def _header_of(page: str) -> str:
    start = page.index('data-testid="child-header"')
    return page[start : page.index("</dl>", start)]


def test_the_childs_own_page_names_the_child_once(users, child, missing, client_for):
    """The child's page is headed by the name and reference: its header does not repeat them;
    the other child pages' headers name the child (with a link to the record)."""
    client = client_for(users[Role.MANAGER])
    page = client.get(f"/children/{child.public_id}/").content.decode()
    header = _header_of(page)
    assert "Holloway" not in header
    assert child.reference not in header
    assert 'data-testid="child-header-missing"' in header  # the tags stay
    other = client.get(f"/exploitation/{child.public_id}/assessments/").content.decode()
    assert "Tamsin Holloway" in _header_of(other)


def test_what_is_due_on_the_childs_page_is_in_words_and_marked_overdue(users, child, client_for):
    """Issue 19 points 2 and 7: an item years overdue reads in years and months, marked
    overdue, with its rule in words, not "by 12 Aug 2023 17:00 (T16)"."""
    DueItem.objects.create(
        key=f"TEST:{child.pk}",
        rule="T16",
        title="Discuss the child in supervision",
        child=child,
        role=Role.MANAGER,
        due_at=NOW - datetime.timedelta(days=2 * 365 + 100),
    )
    page = client_for(users[Role.MANAGER]).get(f"/children/{child.public_id}/")
    box = page.content.decode().split('data-testid="child-due-items"')[1].split("</div>")[0]
    words = " ".join(box.replace("<", " <").split())

    assert "govuk-tag--red" in box
    assert "Discuss the child in supervision: overdue by 2 years, 3 months" in words
    assert "Discussed in supervision" in words
    assert "(T16)" not in words
