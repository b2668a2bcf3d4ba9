"""The education pages, role by role, both ways; and bad input loses nothing (issue 6)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from mace.accounts.models import Role
from mace.education.models import CMECase, Term
from mace.episodes.models import EpisodeKind, MissingFrom
from mace.episodes.services import episode_report
from mace.people.models import Child

from .helpers import notify, school_child

pytestmark = pytest.mark.django_db

KEEP = ["inclusion_officer", "missing_coordinator", "manager"]
NOT_KEEP = [r.value for r in Role if r.value not in KEEP]
TERM_KEEPERS = ["inclusion_officer", "manager", "administrator"]


@pytest.fixture
def case(users):
    child = school_child(first_name="Leofric", last_name="Ambridge-Coyle")
    return notify(users["missing_coordinator"], child=child)


@pytest.mark.parametrize("role_user", KEEP, indirect=True)
def test_the_register_is_for_the_inclusion_team_coordinator_and_managers(
    role_user, client_for, case
):
    client = client_for(role_user)
    page = client.get("/education/")
    assert page.status_code == 200
    assert escape("Ambridge-Coyle") in page.content.decode()
    assert client.get(f"/education/cases/{case.public_id}/").status_code == 200
    assert client.get("/education/returns/").status_code == 200


@pytest.mark.parametrize("role_user", NOT_KEEP, indirect=True)
def test_other_roles_may_not_open_the_register(role_user, client_for, case):
    client = client_for(role_user)
    for path in (
        "/education/",
        f"/education/cases/{case.public_id}/",
        "/education/returns/",
        "/education/notify/",
        "/education/notify/upload/",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Ambridge-Coyle" not in response.content.decode()


@pytest.mark.parametrize("role_user", TERM_KEEPERS, indirect=True)
def test_term_dates_are_kept_by_the_inclusion_team_managers_and_administrators(
    role_user, client_for
):
    client = client_for(role_user)
    assert client.get("/education/terms/").status_code == 200
    response = client.post(
        "/education/terms/",
        {
            "school_year": "2027",
            "name": "autumn",
            "start_0": "1",
            "start_1": "9",
            "start_2": "2027",
            "end_0": "17",
            "end_1": "12",
            "end_2": "2027",
        },
    )
    assert response.status_code == 302
    assert Term.objects.filter(school_year=2027, name="autumn").exists()


@pytest.mark.parametrize(
    "role_user", [r.value for r in Role if r.value not in TERM_KEEPERS], indirect=True
)
def test_other_roles_may_not_change_term_dates(role_user, client_for):
    assert client_for(role_user).get("/education/terms/").status_code == 403


def test_the_inclusion_officer_sees_children_on_the_register_and_no_others(users, client_for, case):
    client = client_for(users["inclusion_officer"])
    stranger = school_child(first_name="Wystan", last_name="Penberthy")
    assert client.get(f"/children/{case.child.public_id}/").status_code == 200
    assert client.get(f"/children/{stranger.public_id}/").status_code == 403


def test_the_childs_record_shows_education_beside_missing_episodes(users, client_for, case):
    episode_report(
        actor=users["police_officer"],
        child=case.child,
        kind=EpisodeKind.MISSING,
        missing_from=MissingFrom.HOME,
        last_seen_at=datetime.datetime(2025, 11, 1, 20, tzinfo=datetime.UTC),
    )
    record = client_for(users["manager"]).get(f"/children/{case.child.public_id}/")
    content = record.content.decode()
    assert "Missing education since 20 Oct 2025" in content
    assert "Missing episodes" in content
    register = client_for(users["inclusion_officer"]).get("/education/").content.decode()
    assert "Missing now" in register  # one child, seen from both sides


def test_a_notification_with_mistakes_is_shown_back_and_saves_nothing(users, client_for):
    client = client_for(users["inclusion_officer"])
    before = (Child.objects.count(), CMECase.objects.count())
    response = client.post(
        "/education/notify/",
        {
            "first_name": "Isolde",
            "last_name": "Farquharson",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2013",
            "gender": "female",
            "school": "Fernhill Academy",
            "reason": "absent_10_days",
            "absent_since_0": "",
            "destination": "unknown",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert 'value="Farquharson"' in content  # what was typed is kept
    assert (Child.objects.count(), CMECase.objects.count()) == before


def test_a_bad_upload_lists_the_rows_to_fix_and_saves_nothing(users, client_for):
    data = (
        b"first_name,last_name,date_of_birth,gender,school,reason,absent_since,destination\n"
        b"Isolde,Farquharson,2013-02-31,female,Fernhill Academy,absent_10_days,2025-10-20,known\n"
    )
    response = client_for(users["inclusion_officer"]).post(
        "/education/notify/upload/",
        {"file": SimpleUploadedFile("n.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was saved" in content
    assert "line 2, date_of_birth" in content
    assert not CMECase.objects.exists()
