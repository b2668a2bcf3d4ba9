"""Find a child (issue 19 point 4): typos, apostrophes and accents tolerated, aliases, partial
references, dates as the app shows them; ranked exact, prefix, fuzzy; only the children the
user may find, role by role; bad input answered with a clear page; a GET page whose results
are paged, with my children and recently viewed when nothing is searched."""

import datetime
import logging

import pytest
from django.utils import timezone
from django.utils.html import escape

from mace.access import policy
from mace.access.tests.test_child_access_by_role import EXPECTED_VISIBLE, SEARCHING_ROLES
from mace.access.tests.test_child_access_by_role import children as children
from mace.accounts.models import Role
from mace.accounts.tests.factories import TeamFactory
from mace.episodes import services as episodes
from mace.people.models import LegalStatusKind
from mace.people.selectors import child_search
from mace.people.tests.factories import ChildFactory, LegalStatusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(users):
    return users[Role.MISSING_COORDINATOR]


def found(user, query):
    return [f"{c.first_name} {c.last_name}" for c in child_search(actor=user, query=query)]


def _child(first, last, **more):
    more.setdefault("date_of_birth", datetime.date(2011, 6, 15))
    return ChildFactory(first_name=first, last_name=last, **more)


@pytest.fixture
def others():
    """Children no query here should find. Their references are their own: the factory's
    run in sequence, and one such as MC-901045 would hold a part of the reference searched."""
    return [
        _child("Morgan", "Ashby", reference="MC-100001"),
        _child("Priya", "Varma", date_of_birth=datetime.date(2012, 4, 12), reference="MC-100002"),
        _child("Kwame", "Boateng", reference="MC-100003"),
    ]


# Names


@pytest.mark.parametrize("query", ["Jordon Smyth", "jordan smiht", "Smyth", "Jordn"])
def test_typos_in_a_name_are_tolerated(query, coordinator, others):
    _child("Jordan", "Smith")
    assert found(coordinator, query) == ["Jordan Smith"]


@pytest.mark.parametrize("query", ["O'Neil", "ONeil", "O Neil", "o\u2019neil", "aoife oneil"])
@pytest.mark.parametrize("written", ["O'Neil", "ONeil", "O\u2019Neil"])
def test_apostrophes_are_ignored(query, written, coordinator, others):
    _child("Aoife", written)
    assert found(coordinator, query) == [f"Aoife {written}"]


@pytest.mark.parametrize(
    ("written", "query"),
    [("Zoë", "Zoe"), ("Zoe", "Zoë"), ("Zoë", "ZOË"), ("Élodie", "elodie"), ("Şükrü", "sukru")],
)
def test_accents_are_ignored(written, query, coordinator, others):
    _child(written, "Lindqvist")
    assert found(coordinator, query) == [f"{written} Lindqvist"]


@pytest.mark.parametrize("query", ["T-Dog", "tdog", "t dog", "T-Dogg", "Tiny Bishop"])
def test_aliases_are_searched_with_the_same_tolerance(query, coordinator, others):
    child = _child("Taylor", "Whitcombe")
    child.aliases.create(name="T-Dog")
    child.aliases.create(name="Tiny Bishopp")
    assert found(coordinator, query) == ["Taylor Whitcombe"]


def test_a_name_unlike_every_child_finds_none(coordinator, others):
    _child("Jordan", "Smith")
    assert found(coordinator, "Hargreaves") == []
    assert found(coordinator, "Jo Sm Xq") == []


# References and dates


@pytest.mark.parametrize("part", ["MC-904512", "mc-904512", "904512", "4512", "mc-9045", "045"])
def test_any_part_of_the_reference_finds_the_child(part, coordinator, others):
    _child("Jordan", "Smith", reference="MC-904512")
    assert found(coordinator, part) == ["Jordan Smith"]


@pytest.mark.parametrize(
    "typed", ["4 Dec 2012", "4 December 2012", "04/12/2012", "4/12/12", "2012-12-04", "4.12.2012"]
)
def test_a_date_typed_as_the_app_shows_it_finds_the_date_of_birth(typed, coordinator, others):
    # Priya Varma of `others` was born on 12 April 2012: the day and month are read the
    # British way round.
    _child("Jordan", "Smith", date_of_birth=datetime.date(2012, 12, 4))
    assert found(coordinator, typed) == ["Jordan Smith"]


def test_a_name_and_a_date_must_both_match(coordinator, others):
    _child("Jordan", "Smith", date_of_birth=datetime.date(2012, 12, 4))
    _child("Jordan", "Smith", date_of_birth=datetime.date(2013, 1, 9))
    _child("Ellis", "Hart", date_of_birth=datetime.date(2012, 12, 4))
    assert found(coordinator, "jordan 4 Dec 2012") == ["Jordan Smith"]
    assert [c.date_of_birth for c in child_search(actor=coordinator, query="smyth 9/1/13")] == [
        datetime.date(2013, 1, 9)
    ]


# Ranking


def test_exact_names_come_first_then_the_start_of_a_name_then_fuzzy_by_score(coordinator):
    _child("Ava", "Smyth")  # fuzzy, 80
    _child("Ben", "Smithson")  # the start of a name
    _child("Cara", "Smith")  # exact
    _child("Dan", "Smitth")  # fuzzy, 90
    _child("Eve", "Jones")
    assert found(coordinator, "smith") == ["Cara Smith", "Ben Smithson", "Dan Smitth", "Ava Smyth"]


# Access, role by role, both ways


@pytest.mark.parametrize("role", SEARCHING_ROLES)
def test_a_user_finds_only_the_children_they_may_find_by_name_reference_or_date(
    role,
    users,
    children,
    client_for,
):
    """Each child of the access fixture is given a name and date of birth of its own; each
    is searched for by name (with a typo), a part of its reference and its date of birth."""
    user = users[role]
    names = {
        "allocated": ("Marisol", "Quennell", datetime.date(2010, 3, 14)),
        "unrelated": ("Tobias", "Ravensworth", datetime.date(2010, 7, 21)),
        "referred": ("Ines", "Castellano", datetime.date(2011, 2, 8)),
        "inclusion": ("Dermot", "Fairclough", datetime.date(2012, 9, 30)),
    }
    client = client_for(user)
    for key, child in children.items():
        first, last, born = names[key]
        child.first_name, child.last_name, child.date_of_birth = first, last, born
        child.save()
    expected = set(EXPECTED_VISIBLE[role])
    for key, child in children.items():
        first, last, born = names[key]
        for query in (last[:-1] + "x", child.reference[-5:], born.strftime("%-d %b %Y")):
            page = client.get("/children/", {"q": query}).content.decode()
            start = page.find("<main")
            shown = str(child.public_id) in page[start:]
            assert shown is (key in expected), f"{role} searching {query!r} for {key}"
            if key not in expected:
                assert escape(last) not in page.replace(escape(query), "")


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.ADMINISTRATOR])
def test_roles_that_may_not_search_are_refused(role, users, client_for):
    _child("Marisol", "Quennell")
    response = client_for(users[role]).get("/children/", {"q": "Quennell"})
    assert response.status_code == 403
    assert "Quennell" not in response.content.decode().replace("q=Quennell", "")


# The page


def test_results_show_age_legal_status_missing_now_and_a_count(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    today = timezone.localdate()
    born = today.replace(year=today.year - 13) - datetime.timedelta(days=1)
    child = _child("Marisol", "Quennell", date_of_birth=born, allocated_worker=worker, team=team)
    LegalStatusFactory(child=child, status=LegalStatusKind.CLA, start_date=today)
    episodes.episode_report(
        actor=users[Role.POLICE_OFFICER],
        child=child,
        kind="missing",
        missing_from="home",
        last_seen_at=timezone.now() - datetime.timedelta(hours=3),
    )
    _child("Marisa", "Quenell", allocated_worker=worker, team=team)
    page = client_for(worker).get("/children/", {"q": "quennell"}).content.decode()
    assert "2 children found for &lsquo;quennell&rsquo;" in page
    row = page[page.index("Marisol Quennell") :]
    row = row[: row.index("</tr>")]
    assert "Missing now" in row
    assert '<td class="govuk-table__cell">13</td>' in row
    assert "Looked after" in row
    # Best first: the exact name before the fuzzy one.
    assert page.index("Marisol Quennell") < page.index("Marisa Quenell")


def test_results_are_paged_25_a_page(coordinator, client_for):
    for number in range(30):
        _child(f"Child{chr(97 + number % 26)}", "Pemberton", reference=f"MC-7{number:05d}")
    client = client_for(coordinator)
    first = client.get("/children/", {"q": "pemberton"}).content.decode()
    assert "30 children found" in first
    assert first.count("Pemberton</a>") == 25
    assert 'href="?q=pemberton&amp;page=2"' in first
    second = client.get("/children/", {"q": "pemberton", "page": "2"}).content.decode()
    assert second.count("Pemberton</a>") == 5
    assert 'aria-current="page">2<' in second


def test_no_children_found_says_so_with_tips(coordinator, client_for):
    page = client_for(coordinator).get("/children/", {"q": "Hargreaves"}).content.decode()
    assert "No children found for &lsquo;Hargreaves&rsquo;" in page
    assert "checking the spelling" in page


def test_the_search_box_has_autofocus_on_the_search_page_only(coordinator, client_for):
    client = client_for(coordinator)
    assert 'name="q"' in client.get("/children/").content.decode()
    assert "autofocus" in client.get("/children/").content.decode()
    assert "autofocus" not in client.get("/children/new/").content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Enter a name, date of birth or reference to search for"),
        ("x" * 500, "Search for 200 characters or fewer"),
        ("%_'\"<>!", "Enter a name, date of birth or reference, using letters or numbers"),
        ("31/2/2012", "31/2/2012 is not a real date"),
        ("4/12/2012 5/12/2012", "Enter one date of birth only"),
    ],
)
def test_bad_input_gets_a_clear_page(query, message, coordinator, client_for):
    response = client_for(coordinator).get("/children/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert escape(message) in page
    if query:
        assert f'value="{escape(query)}"' in page  # what was typed is kept


def test_odd_characters_around_a_name_still_search(coordinator, client_for, others):
    _child("Aoife", "O'Neil")
    page = client_for(coordinator).get("/children/", {"q": " <o'neil>; "}).content.decode()
    assert "1 child found" in page
    assert "Aoife O&#x27;Neil" in page


def test_the_query_is_not_logged(coordinator, client_for, caplog):
    _child("Marisol", "Quennell")
    with caplog.at_level(logging.DEBUG):
        client_for(coordinator).get("/children/", {"q": "Quennell"})
        client_for(coordinator).get("/children/", {"q": "x" * 500})
    assert "Quennell" not in caplog.text
    assert "xxxxx" not in caplog.text


# With nothing searched


def test_my_children_are_mine_and_my_teams_mine_first(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    _child("Zara", "Abbott", allocated_worker=worker, team=team)
    _child("Adam", "Abbott", team=team)  # my team's, not mine
    _child("Omar", "Abbott", team=TeamFactory(agency=team.agency))  # another team's
    page = client_for(worker).get("/children/").content.decode()
    mine = page[page.index('data-testid="my-children"') :]
    mine = mine[: mine.index("</table>")]
    assert mine.index("Zara Abbott") < mine.index("Adam Abbott")
    assert "Omar Abbott" not in page


def test_recently_viewed_lists_the_last_ten_opened_still_visible(users, team, client_for):
    worker = users[Role.SOCIAL_WORKER]
    client = client_for(worker)
    opened = [_child(f"Viewed{chr(97 + n)}", "Holloway", team=team) for n in range(12)]
    for child in opened:
        assert client.get(f"/children/{child.public_id}/").status_code == 200
    client.get(f"/children/{opened[5].public_id}/")  # opened again: listed once, first
    # One the worker may no longer find (moved to another team) drops out.
    opened[11].team = TeamFactory(agency=team.agency)
    opened[11].save()
    assert not policy.can_view_child(worker, opened[11]).allowed
    page = client.get("/children/").content.decode()
    recent = page[page.index('data-testid="recently-viewed"') :]
    recent = recent[: recent.index("</table>")]
    names = [c.first_name for c in opened if c.first_name in recent]
    assert recent.index("Viewedf") < recent.index("Viewedk")  # the latest first
    assert recent.count("Holloway</a>") == 10
    assert "Viewedl" not in recent  # no longer visible
    assert "Viewedb" in recent  # the tenth still visible, as Viewedl is not
    assert "Vieweda" not in recent  # older than the last ten
    assert len(names) == 10


def test_a_picker_gets_no_children_for_what_cannot_be_searched_for(coordinator, others):
    """The intelligence link page's picker calls `child_search` with its own form's text."""
    assert child_search(actor=coordinator, query="!!!") == []
    assert child_search(actor=coordinator, query="31/2/2012") == []
