"""The register and the termly returns: one record per child, uploads that are all or
nothing, the criteria of concern applied to an imported return, nothing lost to a second
editor (SPEC C6, 003 §27-48)."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError

from mace.education import services
from mace.education.models import CMECase, Criterion, MissingOutEntry, TermlyReturn
from mace.episodes.models import EpisodeKind, MissingFrom
from mace.episodes.services import episode_report
from mace.exploitation.models import ExploitationType
from mace.exploitation.tests.helpers import assess
from mace.lib.concurrency import EditConflict
from mace.people.models import Child

from .helpers import notify, school_child

pytestmark = pytest.mark.django_db
D = datetime.date

NOTIFICATIONS = (
    "first_name,last_name,date_of_birth,gender,school,reason,absent_since,destination,"
    "destination_detail\n"
)


@pytest.fixture
def officer(users):
    return users["inclusion_officer"]


def test_a_notification_finds_the_child_already_held(officer, users):
    """A child who went missing from home and is then notified missing education is one
    child: the notification lands on the record the episode is on."""
    child = school_child(first_name="Ottoline", last_name="Brackenbury")
    episode_report(
        actor=users["police_officer"],
        child=child,
        kind=EpisodeKind.MISSING,
        missing_from=MissingFrom.HOME,
        last_seen_at=datetime.datetime(2025, 10, 1, 21, tzinfo=datetime.UTC),
    )
    found = services.child_for_notification(
        actor=officer,
        first_name="ottoline ",
        last_name="BRACKENBURY",
        date_of_birth=child.date_of_birth,
        gender="female",
    )
    assert found == child
    before = Child.objects.count()
    other = services.child_for_notification(
        actor=officer,
        first_name="Ottoline",
        last_name="Brackenbury",
        date_of_birth=D(2012, 1, 1),
        gender="female",
    )
    assert other != child
    assert Child.objects.count() == before + 1


def test_uploaded_notifications_land_together(officer):
    data = (
        NOTIFICATIONS + "Peregrina,Ashworth-Lyle,2013-05-06,female,Fernhill Academy,absent_10_days,"
        "2025-10-20,unknown,\n"
        + "Casimir,Thornbury,2012-09-30,male,Fernhill Academy,left_suddenly,2025-11-03,"
        'known,"Moved to a relative, in Leeds"\n'
    ).encode()
    cases = services.notifications_import(actor=officer, name="notifications.csv", data=data)
    assert len(cases) == 2
    assert {c.child.last_name for c in cases} == {"Ashworth-Lyle", "Thornbury"}
    assert cases[1].destination_detail == "Moved to a relative, in Leeds"
    assert all(c.officer == officer for c in cases)


def test_one_bad_row_refuses_the_whole_file_and_says_what_to_fix(officer):
    before = (Child.objects.count(), CMECase.objects.count())
    data = (
        NOTIFICATIONS + "Peregrina,Ashworth-Lyle,2013-05-06,female,Fernhill Academy,absent_10_days,"
        "2025-10-20,unknown,\n"
        + "Casimir,Thornbury,30/09/2012,male,Fernhill Academy,truanting,2025-11-03,maybe,\n"
        + ",Thornbury,2012-09-30,boy,Fernhill Academy,left_suddenly,2099-01-01,known,\n"
    ).encode()
    with pytest.raises(services.UploadRejected) as refused:
        services.notifications_import(actor=officer, name="notifications.csv", data=data)
    problems = refused.value.problems
    assert 'line 3, date_of_birth: "30/09/2012" is not a date; use YYYY-MM-DD' in problems[0]
    assert any('line 3, reason: "truanting" is not one of' in p for p in problems)
    assert any('line 3, destination: "maybe" is not one of known, unknown' in p for p in problems)
    assert any("line 4, first_name: is empty" in p for p in problems)
    assert any('line 4, gender: "boy" is not one of' in p for p in problems)
    assert any("line 4, absent_since: 2099-01-01 is in the future" in p for p in problems)
    assert (Child.objects.count(), CMECase.objects.count()) == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("notes.txt", b"x", "is not a .csv file"),
        ("big.csv", b"a" * (services.MAX_UPLOAD_BYTES + 1), "the largest file accepted"),
        ("latin.csv", NOTIFICATIONS.encode() + "Zo\xeb".encode("latin-1"), "is not UTF-8"),
        ("short.csv", b"first_name,last_name\nA,B\n", "required columns missing"),
        ("empty.csv", NOTIFICATIONS.encode(), "has a header but no rows"),
    ],
)
def test_files_that_cannot_be_used_are_refused_whole(officer, name, data, message):
    with pytest.raises(services.UploadRejected) as refused:
        services.notifications_import(actor=officer, name=name, data=data)
    assert message in " ".join(refused.value.problems)
    assert not CMECase.objects.exists()


RETURN = "first_name,last_name,date_of_birth,gender,reason,hours_per_week,ehcp\n"


def test_the_criteria_of_concern_are_applied_to_an_imported_termly_return(
    officer, users, default_instrument
):
    """Each of 003 §47's five criteria, and a pupil who meets none."""
    twice = school_child(first_name="Aurelio", last_name="Penhaligon")
    missing = school_child(first_name="Bettany", last_name="Quarrie")
    cse = school_child(first_name="Cosima", last_name="Rendlesham")
    episode_report(
        actor=users["police_officer"],
        child=missing,
        kind=EpisodeKind.MISSING,
        missing_from=MissingFrom.CARE,
        last_seen_at=datetime.datetime(2025, 9, 1, 21, tzinfo=datetime.UTC),
    )
    assess(users["missing_coordinator"], cse, exploitation_type=ExploitationType.SEXUAL)
    services.missing_out_entry_add(
        actor=officer,
        school="Larchmere High School",
        term="2025-26 autumn",
        received_on=D(2025, 11, 20),
        child=twice,
        reason="medical",
        hours_per_week=decimal.Decimal(20),
        has_ehcp=False,
    )
    rows = [
        f"Aurelio,Penhaligon,{twice.date_of_birth},male,medical,20,no",
        f"Bettany,Quarrie,{missing.date_of_birth},female,missing,15,no",
        f"Cosima,Rendlesham,{cse.date_of_birth},female,reintegration,25,no",
        "Dorian,Skelmersdale,2012-02-02,male,alternative_provision,12,yes",
        "Ebba,Tolhurst,2011-11-11,female,alternative_provision,9.5,no",
        "Fenella,Upcott,2013-01-01,female,young_carer,22,no",
    ]
    termly = services.termly_return_import(
        actor=officer,
        school="Larchmere High School",
        term="2025-26 spring",
        received_on=D(2026, 3, 2),
        name="return.csv",
        data=(RETURN + "\n".join(rows) + "\n").encode(),
    )
    concerns = {e.child.last_name: e.concerns for e in termly.entries.select_related("child")}
    assert concerns == {
        "Penhaligon": [Criterion.TWO_TERMS],
        "Quarrie": [Criterion.MISSING],
        "Rendlesham": [Criterion.CSE],
        "Skelmersdale": [Criterion.EHCP],
        "Tolhurst": [Criterion.UNDER_10_HOURS],
        "Upcott": [],
    }
    # The same children: the return found the records already held.
    assert termly.entries.get(child=missing).child_id == missing.pk


def test_a_return_with_a_bad_row_is_refused_whole(officer):
    rows = [
        "Gideon,Vellacott,2012-03-03,male,medical,twelve,no",
        "Gideon,Vellacott,2012-03-03,male,medical,12,perhaps",
    ]
    with pytest.raises(services.UploadRejected) as refused:
        services.termly_return_import(
            actor=officer,
            school="Larchmere High School",
            term="2025-26 spring",
            received_on=D(2026, 3, 2),
            name="return.csv",
            data=(RETURN + "\n".join(rows) + "\n").encode(),
        )
    problems = " ".join(refused.value.problems)
    assert 'line 2, hours_per_week: "twelve" is not a number of hours' in problems
    assert 'line 3, ehcp: "perhaps" is not yes or no' in problems
    assert not TermlyReturn.objects.exists()
    assert not MissingOutEntry.objects.exists()


def test_the_same_pupil_twice_on_a_return_is_refused(officer):
    rows = ["Hester,Wykeham,2012-03-03,female,medical,12,no"] * 2
    with pytest.raises(services.UploadRejected, match="already on this return"):
        services.termly_return_import(
            actor=officer,
            school="Larchmere High School",
            term="2025-26 spring",
            received_on=D(2026, 3, 2),
            name="return.csv",
            data=(RETURN + "\n".join(rows) + "\n").encode(),
        )
    assert not MissingOutEntry.objects.exists()


def test_the_second_of_two_editors_gets_a_conflict_and_nothing_is_overwritten(officer, users):
    case = notify(officer)
    first = CMECase.objects.get(pk=case.pk)
    second = CMECase.objects.get(pk=case.pk)
    services.cme_update(
        actor=officer, case=first, expected_version=first.version, rejected_applications=1
    )
    with pytest.raises(EditConflict):
        services.cme_update(
            actor=users["missing_coordinator"],
            case=second,
            expected_version=second.version,
            rejected_applications=2,
        )
    case.refresh_from_db()
    assert case.rejected_applications == 1


def test_dates_that_cannot_be_right_are_refused(officer):
    with pytest.raises(ValidationError) as refused:
        notify(officer, absent_since=D(2025, 10, 20), notified_on=D(2025, 10, 1))
    assert "notified_on" in refused.value.message_dict
    case = notify(officer, absent_since=D(2025, 10, 20))
    with pytest.raises(ValidationError):
        services.cme_close(
            actor=officer,
            case=case,
            expected_version=case.version,
            outcome="on_roll",
            closed_on=D(2025, 10, 1),
        )


def test_term_dates_may_not_overlap_or_put_half_term_outside_the_term(users):
    admin = users["administrator"]
    services.term_save(
        actor=admin,
        authority_code="E09000004",
        school_year=2026,
        name="autumn",
        start=D(2026, 9, 2),
        end=D(2026, 12, 18),
        half_term_start=D(2026, 10, 26),
        half_term_end=D(2026, 10, 30),
    )
    with pytest.raises(ValidationError) as overlap:
        services.term_save(
            actor=admin,
            authority_code="E09000004",
            school_year=2026,
            name="spring",
            start=D(2026, 12, 14),
            end=D(2027, 3, 26),
        )
    assert "overlap the 2026-27 autumn term" in str(overlap.value)
    with pytest.raises(ValidationError) as outside:
        services.term_save(
            actor=admin,
            authority_code="E09000004",
            school_year=2026,
            name="spring",
            start=D(2027, 1, 4),
            end=D(2027, 3, 26),
            half_term_start=D(2027, 3, 29),
            half_term_end=D(2027, 4, 2),
        )
    assert "Half-term must fall inside the term" in str(outside.value)


def test_only_a_child_of_compulsory_school_age_can_be_missing_education(officer):
    too_old = school_child(date_of_birth=D(2008, 5, 1))  # school age ended June 2024
    with pytest.raises(ValidationError) as refused:
        notify(officer, child=too_old, absent_since=D(2025, 10, 20))
    assert "not of compulsory school age on 20 October 2025" in str(refused.value)
    assert "1 September 2013 to 28 June 2024" in str(refused.value)
    assert not CMECase.objects.exists()


def test_a_10000_character_value_in_an_upload_is_quoted_short(officer):
    """Issue 16: the page quotes the start of a bad value and its length, not all of it."""
    long = "Bartholomew" + "e" * 9_989
    rows = [
        f"Gideon,Vellacott,2012-03-03,male,{long},12,no",
        f"Gideon,Vellacott,{long},male,medical,{long},{long}",
    ]
    with pytest.raises(services.UploadRejected) as refused:
        services.termly_return_import(
            actor=officer,
            school="Larchmere High School",
            term="2025-26 spring",
            received_on=D(2026, 3, 2),
            name="return.csv",
            data=(RETURN + "\n".join(rows) + "\n").encode(),
        )
    problems = refused.value.problems
    assert len(problems) == 4
    for problem in problems:
        assert long[:41] not in problem
        assert f'"{long[:40]}…" (10,000 characters)' in problem
    assert not TermlyReturn.objects.exists()
