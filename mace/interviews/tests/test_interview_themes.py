"""Return-interview themes (issue 20 point 4): the partnership's list, kept by administrators
(add, rename, retire, never delete a used one), audited; the worker codes each interview with
themes on the interview form, shown on the episode and the printable A4 record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from mace.accounts.models import Role
from mace.audit.models import AuditEvent
from mace.episodes.factors import PushPullFactor
from mace.episodes.tests.test_t12_health_assessment import returned as returned  # a fixture
from mace.interviews import services
from mace.interviews.models import InterviewTheme

pytestmark = pytest.mark.django_db

NOT_KEEPERS = [role.value for role in Role if role != Role.ADMINISTRATOR]


def admin(users):
    return users[Role.ADMINISTRATOR]


def theme(name):
    return InterviewTheme.objects.get(name=name)


def code(users, episode, themes, **record):
    interview = episode.return_interview
    interview.refresh_from_db()
    return services.interview_record(
        actor=users[Role.MISSING_COORDINATOR],
        interview=interview,
        expected_version=interview.version,
        completed_at=episode.returned_at + datetime.timedelta(hours=20),
        childs_account="Went to meet someone from a game chat",
        themes=themes,
        **record,
    )


# The default list (data migration 0005)


def test_the_default_list_is_what_the_child_told_us_and_repeats_no_push_or_pull_factor(
    interview_themes,
):
    names = [t.name for t in InterviewTheme.objects.all()]
    assert len(names) >= 10
    assert "Contact with someone they met online" in names
    assert "Worries about their mental health or emotional wellbeing" in names
    factors = {label.lower() for label in PushPullFactor.labels}
    assert not factors & {name.lower() for name in names}
    assert all(t.retired_at is None for t in InterviewTheme.objects.all())


def test_loading_the_default_list_again_adds_nothing(interview_themes):
    import importlib

    from django.apps import apps

    before = InterviewTheme.objects.count()
    importlib.import_module("mace.interviews.migrations.0005_load_default_themes").load(apps, None)
    assert InterviewTheme.objects.count() == before


# Keeping the list: the services


def test_an_administrator_adds_a_theme_at_the_end_audited(users, interview_themes):
    added = services.interview_theme_add(actor=admin(users), name="  Felt  judged by police ")
    assert added.name == "Felt judged by police"
    assert added.code == "felt-judged-by-police"
    assert added.position > max(t.position for t in interview_themes)
    event = AuditEvent.objects.get(object_type="interviews.interviewtheme", action="create")
    assert event.actor == admin(users)
    assert event.after["name"] == "Felt judged by police"


def test_a_theme_needs_a_name_not_already_used(users, interview_themes):
    with pytest.raises(ValidationError) as error:
        services.interview_theme_add(actor=admin(users), name="   ")
    assert error.value.message_dict == {"name": ["Enter the theme"]}
    with pytest.raises(ValidationError) as error:
        services.interview_theme_add(actor=admin(users), name="went to see FAMILY")
    assert error.value.message_dict["name"] == [
        "There is already a theme called went to see FAMILY: enter a different name"
    ]


def test_renaming_keeps_the_code_and_is_audited_before_and_after(users, interview_themes):
    old = theme("Went to see family")
    renamed = services.interview_theme_rename(
        actor=admin(users), theme=old, name="Went to see a parent or relative"
    )
    assert renamed.code == old.code == "to-see-family"
    event = AuditEvent.objects.get(object_type="interviews.interviewtheme", action="change")
    assert event.before == {"name": "Went to see family"}
    assert event.after == {"name": "Went to see a parent or relative"}
    with pytest.raises(ValidationError):
        services.interview_theme_rename(
            actor=admin(users), theme=renamed, name="Had no trusted adult to talk to"
        )


def test_a_retired_theme_is_no_longer_offered_and_can_come_back(users, interview_themes):
    from mace.interviews.forms import InterviewRecordForm

    online = theme("Contact with someone they met online")
    services.interview_theme_retire(actor=admin(users), theme=online)
    online.refresh_from_db()
    assert online.is_retired
    assert online not in InterviewRecordForm().fields["themes"].queryset
    event = AuditEvent.objects.filter(object_type="interviews.interviewtheme").latest("pk")
    assert event.before == {"retired_at": None}
    assert event.after["retired_at"]
    services.interview_theme_retire(actor=admin(users), theme=online, retired=False)
    online.refresh_from_db()
    assert not online.is_retired
    assert online in InterviewRecordForm().fields["themes"].queryset


def test_a_used_theme_is_never_deleted_an_unused_one_may_be(users, returned, interview_themes):
    used = theme("Contact with someone they met online")
    code(users, returned, [used])
    with pytest.raises(ValidationError) as error:
        services.interview_theme_delete(actor=admin(users), theme=used)
    assert error.value.messages == [
        "Contact with someone they met online cannot be deleted: 1 return interview is coded "
        "with it. Retire it instead, so it is no longer offered"
    ]
    with pytest.raises(ProtectedError):  # the database protects it too
        InterviewTheme.objects.filter(pk=used.pk).delete()
    assert InterviewTheme.objects.filter(pk=used.pk).exists()

    mistake = services.interview_theme_add(actor=admin(users), name="Typo thmee")
    services.interview_theme_delete(actor=admin(users), theme=mistake)
    assert not InterviewTheme.objects.filter(name="Typo thmee").exists()
    deleted = AuditEvent.objects.filter(object_type="interviews.interviewtheme").latest("pk")
    assert deleted.summary == "Interview theme deleted: Typo thmee"
    assert deleted.before["name"] == "Typo thmee"


@pytest.mark.parametrize("role", NOT_KEEPERS)
def test_only_administrators_keep_the_list(role, users, interview_themes):
    actor = users[role]
    some = interview_themes[0]
    for attempt in (
        lambda: services.interview_theme_add(actor=actor, name="Another theme"),
        lambda: services.interview_theme_rename(actor=actor, theme=some, name="Renamed"),
        lambda: services.interview_theme_retire(actor=actor, theme=some),
        lambda: services.interview_theme_delete(actor=actor, theme=some),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    some.refresh_from_db()
    assert some.name != "Renamed"
    assert not some.is_retired


# Keeping the list: the settings pages

URL = "/settings/interview-themes/"


def test_the_settings_page_adds_a_theme_and_says_what_to_fix(users, client_for, interview_themes):
    client = client_for(admin(users))
    page = client.get(URL).content.decode()
    assert "Had no trusted adult to talk to" in page
    assert URL in client.get("/settings/").content.decode()

    response = client.post(URL, {"name": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_name"' in page
    assert "Enter the theme" in page

    response = client.post(URL, {"name": "Felt not listened to by PROFESSIONALS"})
    page = response.content.decode()
    assert "There is already a theme called Felt not listened to by PROFESSIONALS" in page
    assert 'value="Felt not listened to by PROFESSIONALS"' in page  # what was typed is kept

    response = client.post(URL, {"name": "Felt judged by police"})
    assert response.status_code == 302
    assert "Felt judged by police" in client.get(URL).content.decode()


def test_the_theme_page_renames_retires_restores_and_deletes(
    users, client_for, returned, interview_themes
):
    client = client_for(admin(users))
    online = theme("Contact with someone they met online")
    code(users, returned, [online])
    url = f"{URL}{online.public_id}/"
    page = client.get(url).content.decode()
    assert "1 interview coded with it" in page
    assert "Delete the theme" not in page  # used: only retired

    assert client.post(url, {"name": "Online contact with a stranger"}).status_code == 302
    online.refresh_from_db()
    assert online.name == "Online contact with a stranger"
    assert client.post(url, {"action": "retire"}).status_code == 302
    online.refresh_from_db()
    assert online.is_retired
    listing = client.get(URL).content.decode()
    retired = listing[listing.index('data-testid="themes-retired"') :]
    assert "Online contact with a stranger" in retired

    response = client.post(url, {"action": "delete"}, follow=True)
    assert "cannot be deleted: 1 return interview is coded with it" in response.content.decode()
    assert InterviewTheme.objects.filter(pk=online.pk).exists()

    assert client.post(url, {"action": "restore"}).status_code == 302
    online.refresh_from_db()
    assert not online.is_retired

    unused = theme("Went to see family")
    assert client.post(f"{URL}{unused.public_id}/", {"action": "delete"}).status_code == 302
    assert not InterviewTheme.objects.filter(pk=unused.pk).exists()


@pytest.mark.parametrize("role", NOT_KEEPERS)
def test_other_roles_may_not_open_the_settings_pages(role, users, client_for, interview_themes):
    client = client_for(users[role])
    some = interview_themes[0]
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "Another"}).status_code == 403
    assert client.get(f"{URL}{some.public_id}/").status_code == 403
    assert client.post(f"{URL}{some.public_id}/", {"action": "retire"}).status_code == 403
    assert not InterviewTheme.objects.filter(name="Another").exists()


# Coding the interview


def _form(interview, **answers):
    done = timezone.localtime(interview.episode.returned_at + datetime.timedelta(hours=30))
    return {
        "completed_at": done.strftime("%d/%m/%Y %H:%M"),
        "childs_account": "Met someone from an online game; felt nobody at home listened",
        "version": interview.version,
        **answers,
    }


def test_the_worker_codes_the_interview_with_themes_shown_on_the_episode_and_the_record(
    users, client_for, returned, interview_themes
):
    from mace.documents import render

    client = client_for(users[Role.SOCIAL_WORKER])
    url = f"/episodes/{returned.public_id}/interview/"
    form = client.get(url).content.decode()
    assert 'type="checkbox"' in form
    assert "Contact with someone they met online" in form
    online, adult = (
        theme("Contact with someone they met online"),
        theme("Had no trusted adult to talk to"),
    )
    interview = returned.return_interview
    response = client.post(url, _form(interview, themes=[online.pk, adult.pk]))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert set(interview.themes.all()) == {online, adult}
    event = AuditEvent.objects.filter(
        object_type="interviews.returninterview", action="change"
    ).latest("pk")
    assert event.before["themes"] == []
    assert event.after["themes"] == sorted([online.name, adult.name])

    episode_page = client.get(f"/episodes/{returned.public_id}/").content.decode()
    shown = episode_page[episode_page.index('data-testid="interview-themes"') :]
    shown = shown[: shown.index("</div>")]
    assert "Contact with someone they met online" in shown
    assert "Had no trusted adult to talk to" in shown
    html = render.return_interview_html(interview)
    assert "What the child told us: themes" in html
    assert "Contact with someone they met online" in html

    # Unticking one takes it off; the form shows what is held.
    interview.refresh_from_db()
    assert client.post(url, _form(interview, themes=[adult.pk])).status_code == 302
    assert list(interview.themes.all()) == [adult]
    form = client.get(url).content.decode()
    assert _ticked(form, adult)
    assert not _ticked(form, online)


def _ticked(form, theme):
    """Whether the form's checkbox for this theme is ticked."""
    import re

    tags = re.findall(r"<input[^>]*>", form)
    (tag,) = [t for t in tags if 'name="themes"' in t and f'value="{theme.pk}"' in t]
    return "checked" in tag


def test_a_retired_theme_held_by_the_interview_stays_when_saved_again(
    users, client_for, returned, interview_themes
):
    online = theme("Contact with someone they met online")
    code(users, returned, [online])
    services.interview_theme_retire(actor=admin(users), theme=online)
    client = client_for(users[Role.SOCIAL_WORKER])
    url = f"/episodes/{returned.public_id}/interview/"
    form = client.get(url).content.decode()
    assert "Contact with someone they met online" in form  # still offered, as it is held
    interview = returned.return_interview
    interview.refresh_from_db()
    assert client.post(url, _form(interview, themes=[online.pk])).status_code == 302
    assert list(interview.themes.all()) == [online]
    page = client.get(f"/episodes/{returned.public_id}/").content.decode()
    assert "Contact with someone they met online (retired)" in page


def test_a_retired_theme_cannot_be_added_to_an_interview(users, returned, interview_themes):
    online = theme("Contact with someone they met online")
    services.interview_theme_retire(actor=admin(users), theme=online)
    with pytest.raises(ValidationError) as error:
        code(users, returned, [online])
    assert error.value.message_dict == {
        "themes": ["Contact with someone they met online is no longer used: choose another theme"]
    }
    assert not returned.return_interview.themes.exists()


def test_a_theme_not_in_the_list_is_a_field_error_and_nothing_typed_is_lost(
    users, client_for, returned, interview_themes
):
    client = client_for(users[Role.SOCIAL_WORKER])
    url = f"/episodes/{returned.public_id}/interview/"
    response = client.post(url, _form(returned.return_interview, themes=["999999"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_themes' in page
    assert "Met someone from an online game" in page
    assert not returned.return_interview.themes.exists()
