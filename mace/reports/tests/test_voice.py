"""The child's voice over time (issue 20 point 4): return interviews' themes counted and the
six scales averaged, by quarter, from interviews built here; small numbers suppressed when
published or for analysts; the 003 A7 item "Feedback from return home interviews" filled, in
every export; the report page and the monitoring meeting's page, role by role."""

import datetime
import io
import zoneinfo

import pytest

from mace.accounts.models import Role
from mace.episodes.models import Episode
from mace.interviews.models import InterviewTheme, InterviewThemeCoding, ReturnInterview
from mace.lib.quarters import Quarter
from mace.people.tests.factories import ChildFactory
from mace.reports import dataset, output, suppression, voice

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
Q2 = Quarter.parse("2025Q2")
RUN_REPORTS = [Role.ANALYST, Role.MANAGER, Role.MISSING_COORDINATOR]
OTHERS = [role for role in Role if role not in RUN_REPORTS]


def at(*parts):
    return datetime.datetime(*parts, tzinfo=LONDON)


def interview(held, themes=(), **scales):
    """A child's episode, and its return interview held at `held`, coded with `themes`
    (their codes) and these scales."""
    child = ChildFactory()
    seen = (held or at(2025, 5, 1, 10)) - datetime.timedelta(days=3)
    episode = Episode.objects.create(
        child=child,
        kind="missing",
        missing_from="home",
        legal_status="NONE",
        last_seen_at=seen,
        reported_at=seen,
        returned_at=seen + datetime.timedelta(days=1),
    )
    record = ReturnInterview.objects.create(
        episode=episode,
        provider_rule="Test",
        referred_at=seen + datetime.timedelta(days=1),
        status="completed" if held else "referred",
        completed_at=held,
        **scales,
    )
    for code in themes:
        InterviewThemeCoding.objects.create(
            interview=record, theme=InterviewTheme.objects.get(code=code)
        )
    return record


@pytest.fixture
def quarter_of_interviews(interview_themes):
    """2025Q2: two interviews held (one at 00:30 on 1 July, UK time, falls in Q3), one not
    yet held."""
    interview(
        at(2025, 4, 10, 11), ["online-contact", "no-trusted-adult"], safe_before=2, safe_since=8
    )
    interview(at(2025, 6, 30, 23, 30), ["online-contact"], safe_before=5, happy_since=7)
    interview(at(2025, 7, 1, 0, 30), ["mental-health"], safe_before=10)
    interview(None, safe_before=0)


def test_a_quarter_counts_its_interviews_themes_and_averages(quarter_of_interviews):
    got = voice.collate(Q2)
    assert got["quarter"] == "2025Q2"
    assert got["interviews"] == 2
    assert got["coded"] == 2
    assert got["themes"]["online-contact"] == 2
    assert got["themes"]["no-trusted-adult"] == 1
    assert got["themes"]["mental-health"] == 0  # held on 1 July UK time: the next quarter
    assert len(got["themes"]) == InterviewTheme.objects.count()  # every theme in use
    assert got["average"]["safe_before"] == 3.5
    assert got["answered"]["safe_before"] == 2
    assert got["average"]["safe_since"] == 8.0
    assert got["answered"]["safe_since"] == 1
    assert got["average"]["happy_since"] == 7.0
    assert got["average"]["happy_before"] is None
    assert got["answered"]["happy_before"] == 0
    q3 = voice.collate(Q2.next())
    assert q3["interviews"] == 1
    assert q3["themes"]["mental-health"] == 1
    assert q3["average"]["safe_before"] == 10.0


def test_four_quarters_side_by_side_oldest_first(quarter_of_interviews):
    got = voice.over_time(Q2.next())
    assert [c["quarter"] for c in got] == ["2024Q4", "2025Q1", "2025Q2", "2025Q3"]
    assert [c["interviews"] for c in got] == [0, 0, 2, 1]
    tables = voice.tables(got)
    # The columns are headed in words, not "2024Q4".
    assert tables[0]["columns"] == [
        "Interviews",
        "October to December 2024",
        "January to March 2025",
        "April to June 2025",
        "July to September 2025",
    ]
    assert tables[0]["rows"][0] == ["Interviews held", 0, 0, 2, 1]
    online = next(r for r in tables[1]["rows"] if r[0] == "Contact with someone they met online")
    assert online == ["Contact with someone they met online", 0, 0, 2, 0]
    safe_before = next(r for r in tables[2]["rows"] if r[0].endswith("before going missing"))
    none = "\u2013 (0)"  # an en dash: no one answered
    assert safe_before == [
        "How safe they felt: before going missing",
        none,
        none,
        "3.5 (2)",
        "10.0 (1)",
    ]


def test_a_retired_theme_is_listed_only_where_it_was_used(quarter_of_interviews):
    InterviewTheme.objects.filter(code__in=["online-contact", "wants-help"]).update(
        retired_at=at(2025, 8, 1)
    )
    assert voice.collate(Q2)["themes"]["online-contact"] == 2
    assert "wants-help" not in voice.collate(Q2)["themes"]
    assert "online-contact" not in voice.collate(Q2.next())["themes"]


def test_a_renamed_theme_keeps_its_figures_under_its_new_name(quarter_of_interviews):
    InterviewTheme.objects.filter(code="online-contact").update(name="Online stranger")
    rows = voice.tables(voice.over_time(Q2))[1]["rows"]
    assert ["Online stranger", 0, 0, 0, 2] in rows


def test_published_hides_small_counts_and_an_average_with_its_number_answering(
    interview_themes,
):
    for n in range(5):
        interview(at(2025, 5, 1 + n, 10), ["online-contact"], safe_before=n, happy_since=6)
    interview(at(2025, 5, 20, 10), ["mental-health"], safe_since=9)
    shown = suppression.voice_published(voice.collate(Q2))
    assert shown["suppressed_below"] == 5
    assert shown["interviews"] == 6
    assert shown["themes"]["online-contact"] == 5
    assert shown["themes"]["mental-health"] is None
    assert shown["suppressed"]["themes.mental-health"] == "<5"
    assert shown["themes"]["wants-help"] == 0  # nobody in it: shown
    assert shown["average"]["safe_before"] == 2.0  # five answered
    assert shown["answered"]["safe_since"] is None
    assert shown["average"]["safe_since"] is None  # one child's own score
    assert shown["suppressed"]["average.safe_since"] == "[c]"
    row = next(r for r in voice.tables([shown])[2]["rows"] if r[0].endswith("since returning"))
    assert row == ["How safe they felt: since returning", "[c] (<5)"]


def test_the_threshold_is_the_partnerships_setting(interview_themes, settings):
    settings.REPORT_SUPPRESS_BELOW = 3
    interview(at(2025, 5, 1, 10), ["online-contact"])
    interview(at(2025, 5, 2, 10), ["online-contact"])
    interview(at(2025, 5, 3, 10), ["online-contact"])
    shown = suppression.voice_published(voice.collate(Q2))
    assert shown["themes"]["online-contact"] == 3


# The 003 A7 item, and the dataset's exports


def feedback(data):
    (item,) = [i for i in data["items"] if i["item"] == "Feedback from return home interviews"]
    return item


def test_the_dataset_item_is_filled_from_the_quarters_interviews(quarter_of_interviews):
    data = dataset.build(Q2, cleared=False)
    item = feedback(data)
    assert item["held"] is True
    assert item["lead_agency"] == "NYAS"
    assert item["value"] == 2
    assert item["breakdown"]["themes"]["online-contact"] == 2
    assert item["breakdown"]["average"]["safe_before"] == 3.5
    assert item["breakdown"]["answered"]["safe_before"] == 2
    assert [c["quarter"] for c in data["voice_of_the_child"]] == [
        "2024Q3",
        "2024Q4",
        "2025Q1",
        "2025Q2",
    ]
    assert data["voice_of_the_child"][-1]["themes"] == item["breakdown"]["themes"]

    published = suppression.dataset_published(data)
    item = feedback(published)
    index = published["items"].index(item)
    assert item["value"] is None
    assert published["suppressed"][f"items.{index}.value"] == "<5"
    assert item["breakdown"]["average"]["safe_before"] is None
    assert published["suppressed"][f"items.{index}.breakdown.average.safe_before"] == "[c]"
    assert published["voice_of_the_child"][-1]["themes"]["online-contact"] is None


def test_the_item_in_words_in_the_csv_xlsx_and_pdf(quarter_of_interviews):
    from openpyxl import load_workbook

    data = dataset.build(Q2, cleared=False)
    text = output.dataset_csv(data).decode("utf-8-sig")
    assert "Theme: Contact with someone they met online,2" in text
    assert "Average score out of 10: How safe they felt: before going missing,3.5" in text
    assert "Number who answered: How safe they felt: since returning,1" in text

    book = load_workbook(io.BytesIO(output.dataset_xlsx(data)))
    assert "Voice of the child" in book.sheetnames
    sheet = book["Voice of the child"]
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "What the children told us: interviews coded with each theme" in cells
    assert "Contact with someone they met online" in cells
    assert len(sheet._charts) == 2

    html = output.dataset_pdf_html(data)
    assert "The child's voice over time" in html
    assert "3.5 (2)" in html
    assert html.count('<svg role="img"') == 3
    assert output.dataset_pdf(data).startswith(b"%PDF")


# The report page, role by role

URL = "/reports/voice/"


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MISSING_COORDINATOR])
def test_managers_and_the_coordinator_see_the_figures_as_counted(
    role, users, client_for, quarter_of_interviews
):
    page = client_for(users[role]).get(URL, {"quarter": "2025Q2"}).content.decode()
    assert "The child's voice over time" in page
    table = page[page.index('data-testid="voice-table-2"') :]
    table = table[: table.index("</table>")]
    assert "Contact with someone they met online" in table
    assert ">2</td>" in table
    assert "3.5 (2)" in page
    assert page.count('<svg role="img"') == 3
    assert "Anonymised: numbers from 1" not in page

    published = client_for(users[role]).get(URL, {"quarter": "2025Q2", "publish": "on"})
    assert "[c] (&lt;5)" in published.content.decode()


def test_analysts_see_only_the_suppressed_figures(users, client_for, quarter_of_interviews):
    page = client_for(users[Role.ANALYST]).get(URL, {"quarter": "2025Q2"}).content.decode()
    assert "Anonymised: numbers from 1 to 4" in page
    assert "3.5 (2)" not in page
    assert "[c] (&lt;5)" in page
    assert 'name="publish"' not in page  # always published for them


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_may_not_open_the_page(role, users, client_for, quarter_of_interviews):
    response = client_for(users[role]).get(URL, {"quarter": "2025Q2"})
    assert response.status_code == 403
    assert b"Contact with someone" not in response.content


def test_a_quarter_written_wrongly_says_how_to_write_it(users, client_for, interview_themes):
    response = client_for(users[Role.MANAGER]).get(URL, {"quarter": "Spring 2025"})
    assert response.status_code == 400
    assert "write it as a year, Q and 1 to 4, like 2026Q3" in response.content.decode()


def test_the_reports_page_links_to_it(users, client_for):
    assert URL in client_for(users[Role.ANALYST]).get("/reports/").content.decode()


# The monitoring meeting's page


@pytest.fixture
def monitoring(users, interview_themes):
    from mace.meetings import panels
    from mace.meetings.tests.helpers import next_day, weekly_series

    series = weekly_series()
    day = next_day(series)
    quarter = Quarter.containing(day).previous()
    for n in range(5):
        interview(
            datetime.datetime.combine(
                quarter.start + datetime.timedelta(days=10 + n), datetime.time(11), LONDON
            ),
            ["online-contact"] + (["wants-help"] if n == 0 else []),
            safe_before=6,
        )
    meeting = panels.panel_meeting_open(
        actor=users[Role.MISSING_COORDINATOR], series=series, day=day
    )
    return meeting, quarter


def _voice(page):
    start = page.index('data-testid="voice-of-the-child"')
    return page[start:]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MISSING_COORDINATOR])
def test_the_monitoring_meeting_shows_the_quarters_as_counted_to_those_who_may(
    role, users, client_for, monitoring
):
    meeting, quarter = monitoring
    page = client_for(users[role]).get(f"/meetings/{meeting.public_id}/").content.decode()
    assert f"to {quarter.end:%-d %B %Y}" in page
    shown = _voice(page)
    assert "Said what help they want" in shown
    assert ">1</td>" in shown  # as counted
    assert "6.0 (5)" in shown
    assert f"{URL}?quarter={quarter}" in page


def test_police_at_the_meeting_see_the_suppressed_figures(users, client_for, monitoring):
    meeting, _ = monitoring
    page = client_for(users[Role.POLICE_OFFICER]).get(f"/meetings/{meeting.public_id}/")
    shown = _voice(page.content.decode())
    assert "&lt;5" in shown
    assert ">1</td>" not in shown
    assert "6.0 (5)" in shown  # five answered: shown
    assert URL not in page.content.decode()  # they run no reports


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PANEL_MEMBER, Role.RHI_WORKER])
def test_others_see_it_only_as_members_of_the_panel(role, users, client_for, monitoring):
    meeting, _ = monitoring
    url = f"/meetings/{meeting.public_id}/"
    assert client_for(users[role]).get(url).status_code == 403
    meeting.series.members.add(users[role])
    shown = _voice(client_for(users[role]).get(url).content.decode())
    assert "&lt;5" in shown


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_the_api_gives_the_item_as_the_pages_do(role, users, quarter_of_interviews):
    from mace.api.tests.helpers import api_client

    response = api_client(users[role]).get("/api/v1/reports/dataset/", {"quarter": "2025Q2"})
    if role not in RUN_REPORTS:
        assert response.status_code == 403
        return
    data = response.json()
    item = feedback(data)
    latest = data["voice_of_the_child"][-1]
    if role == Role.ANALYST:
        assert item["value"] is None
        assert item["breakdown"]["average"]["safe_before"] is None
        assert latest["themes"]["online-contact"] is None
        assert latest["suppressed"]["themes.online-contact"] == "<5"
    else:
        assert item["value"] == 2
        assert item["breakdown"]["average"]["safe_before"] == 3.5
        assert latest["themes"]["online-contact"] == 2
