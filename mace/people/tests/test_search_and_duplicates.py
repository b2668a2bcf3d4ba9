"""Finding a child by name, alias, date of birth and identifier; warning of duplicates (C1)."""

import datetime

import pytest

from mace.accounts.models import Role
from mace.people.duplicates import find_possible_duplicates
from mace.people.models import ChildIdentifier
from mace.people.selectors import child_search, parse_date
from mace.people.tests.factories import ChildFactory


@pytest.fixture
def coordinator(users):
    return users[Role.MISSING_COORDINATOR]


@pytest.fixture
def taylor():
    child = ChildFactory(
        first_name="Taylor", last_name="Whitcombe", date_of_birth=datetime.date(2010, 5, 17)
    )
    child.aliases.create(name="T-Dog")
    ChildIdentifier.objects.create(child=child, kind="case_record", value="LCS448812")
    return child


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "Whitcombe",
        "taylor whitcombe",
        "T-Dog",
        "17/05/2010",
        "2010-05-17",
        "LCS448812",
        "whit 17/5/2010",
    ],
)
def test_search_finds_by_name_alias_date_of_birth_and_identifier(query, coordinator, taylor):
    ChildFactory(first_name="Morgan", last_name="Ashby", date_of_birth=datetime.date(2010, 5, 18))
    assert list(child_search(actor=coordinator, query=query)) == [taylor]


@pytest.mark.django_db
def test_search_by_reference(coordinator, taylor):
    assert list(child_search(actor=coordinator, query=taylor.reference.lower())) == [taylor]


@pytest.mark.django_db
def test_search_with_no_match_is_empty(coordinator, taylor):
    assert list(child_search(actor=coordinator, query="Nobody")) == []


def test_dates_are_read_the_british_way():
    assert parse_date("3/4/2012") == datetime.date(2012, 4, 3)
    assert parse_date("2012-04-03") == datetime.date(2012, 4, 3)
    assert parse_date("31/2/2012") is None
    assert parse_date("Smith") is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "dob"),
    [
        ("Taylor", "Whitcombe", datetime.date(2010, 5, 17)),
        ("Tayler", "Whitcomb", datetime.date(2010, 5, 17)),
        ("Whitcombe", "Taylor", datetime.date(2010, 5, 17)),
        ("Taylor", "Whitcombe", datetime.date(2010, 5, 18)),
        ("T-Dog", "", datetime.date(2010, 5, 17)),
    ],
)
def test_duplicate_warning_on_alike_name_and_date_of_birth(first, last, dob, taylor):
    found = find_possible_duplicates(first_name=first, last_name=last, date_of_birth=dob)
    assert [d.child for d in found] == [taylor]


@pytest.mark.django_db
def test_day_and_month_swapped_is_a_possible_duplicate():
    child = ChildFactory(
        first_name="Ellis", last_name="Brandt", date_of_birth=datetime.date(2011, 3, 4)
    )
    found = find_possible_duplicates(
        first_name="Ellis", last_name="Brandt", date_of_birth=datetime.date(2011, 4, 3)
    )
    assert [d.child for d in found] == [child]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "dob"),
    [
        ("Taylor", "Whitcombe", datetime.date(2012, 5, 17)),
        ("Jamie", "Osei", datetime.date(2010, 5, 17)),
    ],
)
def test_no_warning_when_name_or_date_of_birth_differs(first, last, dob, taylor):
    assert find_possible_duplicates(first_name=first, last_name=last, date_of_birth=dob) == []


@pytest.mark.django_db
def test_create_page_warns_of_a_duplicate_then_creates_once_confirmed(users, client_for, taylor):
    client = client_for(users[Role.MISSING_COORDINATOR])
    form = {
        "first_name": "Tayler",
        "last_name": "Whitcombe",
        "date_of_birth_0": "17",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2010",
        "gender": "female",
        "ethnicity": "NOBT",
        "legal_status": "NONE",
    }
    first = client.post("/children/new/", form)
    assert first.status_code == 200
    assert "This child may already have a record" in first.content.decode()
    assert taylor.reference in first.content.decode()
    second = client.post("/children/new/", {**form, "not_a_duplicate": "on"})
    assert second.status_code == 302
    assert ChildFactory._meta.model.objects.filter(first_name="Tayler").count() == 1


@pytest.mark.django_db
def test_names_stay_out_of_urls_and_logs(users, client_for, taylor, caplog):
    client = client_for(users[Role.MISSING_COORDINATOR])
    with caplog.at_level("DEBUG"):
        response = client.post("/children/", {"query": "Whitcombe"})
        client.get(f"/children/{taylor.public_id}/")
        client.get("/children/not-a-uuid/")
    assert response.request["PATH_INFO"] == "/children/"
    assert "Whitcombe" not in caplog.text
    assert "Taylor" not in caplog.text
