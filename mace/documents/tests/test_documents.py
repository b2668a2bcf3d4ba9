"""Documents from the record (C10): the director-to-director letter of 003 A8 (T11) and the
one-page missing-person profile for the police, with their access checks and audit (C11)."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from docx import Document

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.documents import render, services
from mace.documents.models import DirectorLetter
from mace.episodes.services import episode_record_return, episode_report
from mace.people.models import (
    ChildAlias,
    Involvement,
    LegalStatus,
    LocalAuthority,
    Placement,
    RelatedPerson,
)
from mace.people.services import restricted_access_grant
from mace.people.tests.factories import ChildFactory, InvolvementFactory
from mace.worklist.engine import sync_child
from mace.worklist.models import DueItem

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def coordinator(users):
    return users[Role.MISSING_COORDINATOR]


@pytest.fixture
def officer(users):
    return users[Role.POLICE_OFFICER]


@pytest.fixture
def home(settings):
    return LocalAuthority.objects.create(
        name="Test Home Borough", ons_code=settings.HOME_AUTHORITY_ONS_CODE
    )


@pytest.fixture
def elsewhere(db):
    return LocalAuthority.objects.create(name="Test Placing County", ons_code="E10999001")


def placed_child(placing, host, worker=None, team=None, **extra):
    child = ChildFactory(allocated_worker=worker, team=team, **extra)
    start = timezone.localdate() - datetime.timedelta(days=300)
    LegalStatus.objects.create(child=child, status="CLA", start_date=start)
    Placement.objects.create(
        child=child,
        kind=Placement.Kind.CHILDRENS_HOME,
        provider="Test Lodge",
        address="1 Test Road, Testtown",
        postcode="TT1 1TT",
        placing_authority=placing,
        host_authority=host,
        start_date=start,
    )
    return child


def report(officer, child, hours_ago, returned_after=5, **details):
    now = timezone.now()
    episode = episode_report(
        actor=officer,
        child=child,
        kind="missing",
        missing_from="care",
        last_seen_at=now - hours_ago * HOUR,
        reported_at=now - (hours_ago - 1) * HOUR,
        **details,
    )
    if returned_after is not None:
        episode = episode_record_return(
            actor=officer,
            episode=episode,
            returned_at=now - (hours_ago - returned_after) * HOUR,
        )
    return episode


@pytest.fixture
def due_child(officer, users, team, home, elsewhere):
    """A looked after child placed here by another authority, missing three times."""
    child = placed_child(elsewhere, home, worker=users[Role.SOCIAL_WORKER], team=team)
    for hours_ago in (300, 200, 100):
        report(officer, child, hours_ago, found_location=f"Bus station, {hours_ago}")
    sync_child(child)
    return child


def t11(child):
    return DueItem.objects.get(child=child, rule="T11")


def docx_text(content):
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_pages(html):
    from weasyprint import HTML

    return len(HTML(string=html).render().pages)


# Preparing the letter (003 §15, T11)


@pytest.mark.django_db
def test_letter_prepared_for_a_child_placed_by_another_authority_closes_T11(
    coordinator, due_child, elsewhere
):
    assert t11(due_child).status == DueItem.Status.OPEN
    letter = services.director_letter_prepare(actor=coordinator, child=due_child)
    assert (letter.child, letter.placing_authority, letter.episode_count) == (
        due_child,
        elsewhere,
        3,
    )
    assert letter.prepared_by == coordinator
    assert t11(due_child).status == DueItem.Status.DONE
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_id=letter.public_id)
    assert event.child_id == due_child.public_id
    assert event.actor == coordinator


@pytest.mark.django_db
def test_no_letter_before_the_third_episode(coordinator, officer, home, elsewhere):
    child = placed_child(elsewhere, home)
    report(officer, child, 200)
    report(officer, child, 100)
    with pytest.raises(ValidationError, match=r"3 or more missing episodes.*has 2"):
        services.director_letter_prepare(actor=coordinator, child=child)
    assert not DirectorLetter.objects.exists()


@pytest.mark.django_db
def test_the_threshold_is_a_setting(coordinator, officer, home, elsewhere, settings):
    settings.DIRECTOR_LETTER_EPISODES = 2
    child = placed_child(elsewhere, home)
    report(officer, child, 200)
    report(officer, child, 100)
    assert services.director_letter_prepare(actor=coordinator, child=child).episode_count == 2


@pytest.mark.django_db
def test_no_letter_for_a_child_placed_by_the_home_authority(coordinator, officer, home):
    child = placed_child(home, home)
    for hours_ago in (300, 200, 100):
        report(officer, child, hours_ago)
    with pytest.raises(ValidationError, match="placed by the home authority"):
        services.director_letter_prepare(actor=coordinator, child=child)


@pytest.mark.django_db
def test_no_letter_without_a_current_placement(coordinator, due_child):
    due_child.placements.update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="no current placement"):
        services.director_letter_prepare(actor=coordinator, child=due_child)


@pytest.mark.django_db
def test_one_letter_for_the_same_episodes(coordinator, due_child, officer):
    services.director_letter_prepare(actor=coordinator, child=due_child)
    with pytest.raises(ValidationError, match="already been prepared"):
        services.director_letter_prepare(actor=coordinator, child=due_child)
    report(officer, due_child, 50)
    assert services.director_letter_prepare(actor=coordinator, child=due_child).episode_count == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.MISSING_COORDINATOR, True),
        (Role.MANAGER, True),
        (Role.SOCIAL_WORKER, False),
        (Role.POLICE_OFFICER, False),
        (Role.ANALYST, False),
    ],
)
def test_who_may_prepare_the_letter(role, may, users, due_child):
    actor = users[role]
    if may:
        services.director_letter_prepare(actor=actor, child=due_child)
    else:
        with pytest.raises(PermissionDenied):
            services.director_letter_prepare(actor=actor, child=due_child)
    assert DirectorLetter.objects.exists() is may


@pytest.mark.django_db
def test_marking_the_letter_sent_is_audited(coordinator, due_child):
    letter = services.director_letter_prepare(actor=coordinator, child=due_child)
    with pytest.raises(ValidationError):
        services.director_letter_mark_sent(
            actor=coordinator, letter=letter, sent_at=timezone.now() + 48 * HOUR
        )
    sent_at = timezone.now()
    services.director_letter_mark_sent(actor=coordinator, letter=letter, sent_at=sent_at)
    letter.refresh_from_db()
    assert letter.sent_at == sent_at
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE, object_id=letter.public_id)
    assert event.before == {"sent_at": None}
    with pytest.raises(ValidationError, match="already been marked"):
        services.director_letter_mark_sent(actor=coordinator, letter=letter, sent_at=sent_at)


# The letter's content (003 A8)


@pytest.mark.django_db
def test_docx_letter_holds_the_name_count_and_standard_text(coordinator, due_child, settings):
    settings.LETTERHEAD_CONTACT_PHONE = "01632 960000"
    settings.LETTERHEAD_POLICE_AREA = "Test Constabulary"
    letter = services.director_letter_prepare(actor=coordinator, child=due_child)
    text = docx_text(render.director_letter_docx(letter, discussed_on=datetime.date(2026, 3, 3)))
    assert due_child.full_name in text
    assert "reported as missing from" in text
    assert "placement on 3 occasions" in text
    assert "discussed on 3 March 2026" in text
    for words in (
        "PRIVATE AND CONFIDENTIAL",
        "Concern for a Looked After Child placed in Test Home Borough",
        "Dear Director",
        "Director of Children's Services",
        "Police Superintendent",
        "Test Constabulary",
        "Test Placing County",
        "01632 960000",
        due_child.reference,
    ):
        assert words in text


@pytest.mark.django_db
def test_letter_titles_come_from_settings(coordinator, due_child, settings):
    settings.LETTERHEAD_DIRECTOR_TITLE = "Corporate Director, People"
    settings.LETTERHEAD_AUTHORITY_NAME = "Testshire Council"
    settings.LETTERHEAD_OPEN_ACCESS_NOTE = ""
    letter = services.director_letter_prepare(actor=coordinator, child=due_child)
    text = docx_text(render.director_letter_docx(letter))
    assert "Corporate Director, People" in text
    assert "placed in Testshire Council" in text
    assert "open access" not in text


@pytest.mark.django_db
def test_letter_pdf_is_a_pdf(coordinator, due_child):
    letter = services.director_letter_prepare(actor=coordinator, child=due_child)
    assert render.director_letter_pdf(letter).startswith(b"%PDF")
    html = render.director_letter_html(letter)
    assert escape(due_child.full_name) in html
    assert pdf_pages(html) == 1


# The missing-person profile (the Philomena Protocol)


@pytest.mark.django_db
def test_profile_is_one_page_with_what_the_police_need(coordinator, officer, due_child, home):
    due_child.identifying_information = "Phone 07700 900123. Snapchat: test_handle"
    due_child.additional_needs = "Asthma; carries an inhaler"
    due_child.save()
    ChildAlias.objects.create(child=due_child, name="Testy")
    RelatedPerson.objects.create(
        child=due_child, name="Pat Carer", relationship="foster_carer", phone="01632 960111"
    )
    friend = placed_child(home, home)
    report(officer, due_child, 40, with_children=[friend], where_been="Test Park")
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    for words in (
        escape(due_child.full_name),  # a Faker name may hold an apostrophe: O'Neill
        "Testy",
        "No photograph held",
        "07700 900123",
        "Asthma",
        "Test Lodge",
        "TT1 1TT",
        "Pat Carer",
        friend.full_name,
        "Missing together once",
        "Test Park",
        "Bus station, 300",
        "4 episodes recorded",
        "5 hours",
    ):
        assert words in html
    assert render.missing_person_profile_pdf(due_child).startswith(b"%PDF")
    assert pdf_pages(html) == 1


@pytest.mark.django_db
def test_profile_stays_one_page_for_a_crowded_record(coordinator, officer, due_child, home):
    due_child.identifying_information = "Phone and social media details. " * 60
    due_child.additional_needs = "Needs described at length. " * 60
    due_child.save()
    for n in range(15):
        RelatedPerson.objects.create(child=due_child, name=f"Person {n}", relationship="other")
    for hours_ago in range(2000, 600, -100):
        report(
            officer,
            due_child,
            hours_ago,
            found_location=f"A long description of a place found number {hours_ago} " * 4,
            where_been=f"Somewhere else {hours_ago}",
        )
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    assert "more in MACE" in html
    assert pdf_pages(html) == 1


@pytest.mark.django_db
def test_profile_names_only_children_the_reader_may_open(users, officer, due_child, home):
    stranger = placed_child(home, home)
    report(officer, due_child, 40, with_children=[stranger])
    worker = users[Role.SOCIAL_WORKER]  # sees due_child through their team only
    html = render.missing_person_profile_html(due_child, actor=worker)
    assert stranger.full_name not in html
    assert escape(stranger.full_name) not in html
    assert f"A child ({stranger.reference})" in html


@pytest.mark.django_db
def test_profile_names_a_restricted_associate_only_to_a_reader_who_may_open_it(
    coordinator, officer, due_child, home
):
    restricted = placed_child(home, home)
    restricted.is_restricted = True
    restricted.save(update_fields=["is_restricted"])
    report(officer, due_child, 40, with_children=[restricted])
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    assert escape(restricted.full_name) not in html
    assert f"A child ({restricted.reference})" in html
    restricted_access_grant(actor=coordinator, child=restricted, reason="Missing together tonight")
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    assert escape(restricted.full_name) in html


@pytest.mark.django_db
def test_an_open_episode_is_shown_as_missing_now(coordinator, officer, due_child):
    report(officer, due_child, 6, returned_after=None, last_seen_location="Test Shopping Centre")
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    assert "Missing now" in html
    assert "Test Shopping Centre" in html
    assert "Still missing" in html


def test_durations_read_as_people_say_them():
    start = datetime.datetime(2026, 1, 1, 10, 0, tzinfo=datetime.UTC)
    assert render.duration_text(start, start + 45 * datetime.timedelta(minutes=1)) == "45 minutes"
    assert render.duration_text(start, start + 5 * HOUR) == "5 hours"
    assert render.duration_text(start, start + 51 * HOUR + datetime.timedelta(minutes=7)) == (
        "2 days 3 hours"
    )


# Pages and downloads


def filename(response):
    match = re.fullmatch(r'attachment; filename="([^"]+)"', response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match[1]


@pytest.mark.django_db
def test_coordinator_downloads_the_profile_named_by_reference_and_audited(
    coordinator, due_child, client_for
):
    url = reverse("documents:profile_pdf", kwargs={"public_id": due_child.public_id})
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert filename(response) == f"{due_child.reference}-missing-person-profile.pdf"
    assert due_child.first_name not in response["Content-Disposition"]
    assert due_child.last_name not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    actions = set(
        AuditEvent.objects.filter(child_id=due_child.public_id, actor=coordinator).values_list(
            "action", flat=True
        )
    )
    assert {AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT} <= actions


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.RHI_WORKER, Role.ANALYST])
def test_those_without_access_are_refused_every_document(
    role, users, coordinator, due_child, client_for
):
    letter = services.director_letter_prepare(actor=coordinator, child=due_child)
    client = client_for(users[role])
    child_id = {"public_id": due_child.public_id}
    letter_id = {"public_id": letter.public_id}
    for url in (
        reverse("documents:profile_pdf", kwargs=child_id),
        reverse("documents:letters", kwargs=child_id),
        reverse("documents:letter_docx", kwargs=letter_id),
        reverse("documents:letter_pdf", kwargs=letter_id),
        reverse("documents:letter_sent", kwargs=letter_id),
    ):
        assert client.get(url).status_code == 403, url
    prepare = reverse("documents:letter_prepare", kwargs=child_id)
    assert client.post(prepare).status_code == 403
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=users[role]
    ).exists()


@pytest.mark.django_db
def test_rhi_worker_with_a_referral_may_download_the_profile(users, due_child, client_for):
    worker = users[Role.RHI_WORKER]
    InvolvementFactory(child=due_child, kind=Involvement.Kind.RHI_PROVIDER, agency=worker.agency)
    url = reverse("documents:profile_pdf", kwargs={"public_id": due_child.public_id})
    assert client_for(worker).get(url).status_code == 200


@pytest.mark.django_db
def test_a_restricted_record_asks_for_a_reason_first(coordinator, due_child, client_for):
    due_child.is_restricted = True
    due_child.save()
    url = reverse("documents:profile_pdf", kwargs={"public_id": due_child.public_id})
    response = client_for(coordinator).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "people:reason", kwargs={"public_id": due_child.public_id}
    )


@pytest.mark.django_db
def test_prepare_download_and_mark_sent_through_the_pages(coordinator, due_child, client_for):
    client = client_for(coordinator)
    letters_url = reverse("documents:letters", kwargs={"public_id": due_child.public_id})
    page = client.get(letters_url)
    assert page.status_code == 200
    assert b"Prepare the letter" in page.content

    response = client.post(
        reverse("documents:letter_prepare", kwargs={"public_id": due_child.public_id})
    )
    assert response.status_code == 302
    letter = DirectorLetter.objects.get(child=due_child)
    assert t11(due_child).status == DueItem.Status.DONE
    page = client.get(letters_url)
    assert b"Prepare the letter" not in page.content
    assert b"already been prepared" in page.content

    response = client.get(reverse("documents:letter_docx", kwargs={"public_id": letter.public_id}))
    assert response.status_code == 200
    assert filename(response) == f"{due_child.reference}-director-letter.docx"
    assert "placement on 3 occasions" in docx_text(response.content)
    response = client.get(reverse("documents:letter_pdf", kwargs={"public_id": letter.public_id}))
    assert response.content.startswith(b"%PDF")
    assert filename(response) == f"{due_child.reference}-director-letter.pdf"
    exports = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_id=letter.public_id
    ).count()
    assert exports == 3  # prepared, then two downloads

    today = timezone.localdate()
    sent_url = reverse("documents:letter_sent", kwargs={"public_id": letter.public_id})
    assert client.get(sent_url).status_code == 200
    response = client.post(
        sent_url, {"sent_on_0": today.day, "sent_on_1": today.month, "sent_on_2": today.year}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.sent_at is not None


@pytest.mark.django_db
def test_pressing_prepare_when_not_due_shows_why(coordinator, officer, home, elsewhere, client_for):
    child = placed_child(elsewhere, home)
    report(officer, child, 100)
    response = client_for(coordinator).post(
        reverse("documents:letter_prepare", kwargs={"public_id": child.public_id})
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"this child has 1" in response.content
    assert not DirectorLetter.objects.exists()


@pytest.mark.django_db
def test_a_social_worker_sees_the_letters_but_may_not_prepare(users, due_child, client_for):
    page = client_for(users[Role.SOCIAL_WORKER]).get(
        reverse("documents:letters", kwargs={"public_id": due_child.public_id})
    )
    assert page.status_code == 200
    assert b"Prepare the letter" not in page.content


# The profile holds what the return interviews found (issue 19 point 3)


def interview_held(coordinator, episode, **record):
    from mace.interviews.services import interview_record, interview_refer

    interview = interview_refer(actor=coordinator, episode=episode)
    return interview_record(
        actor=coordinator,
        interview=interview,
        expected_version=interview.version,
        completed_at=episode.returned_at + HOUR,
        childs_account="Stayed with friends",
        **record,
    )


@pytest.mark.django_db
def test_profile_holds_where_the_child_was_harboured_and_how_to_find_them_next_time(
    coordinator, officer, users, due_child
):
    episode = report(officer, due_child, 50)
    interview_held(
        coordinator,
        episode,
        harboured_where_by_whom="A flat above the takeaway on Test Lane, by an adult male",
        information_to_find_next_time="Goes to the skate park near the station",
        parents_views="Carer is worried",
    )
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    assert "From return home interviews" in html
    assert "A flat above the takeaway on Test Lane, by an adult male" in html
    assert "Goes to the skate park near the station" in html
    assert "Carer is worried" not in html  # only what helps find the child
    assert pdf_pages(html) == 1
    # Only for a reader who may see what the child said in the interview.
    analyst = users[Role.ANALYST]
    html = render.missing_person_profile_html(due_child, actor=analyst)
    assert "Test Lane" not in html
    assert "From return home interviews" not in html


@pytest.mark.django_db
def test_profile_stays_one_page_with_long_interview_findings(coordinator, officer, due_child):
    due_child.identifying_information = "Phone and social media details. " * 60
    due_child.additional_needs = "Needs described at length. " * 60
    due_child.save()
    for hours_ago in (90, 80, 70):
        interview_held(
            coordinator,
            report(officer, due_child, hours_ago),
            harboured_where_by_whom=f"A long account of a flat {hours_ago} " * 40,
            information_to_find_next_time=f"A long account of where to look {hours_ago} " * 40,
        )
    html = render.missing_person_profile_html(due_child, actor=coordinator)
    assert "where to look 70" in html
    assert "where to look 90" not in html  # the latest two only
    assert pdf_pages(html) == 1
