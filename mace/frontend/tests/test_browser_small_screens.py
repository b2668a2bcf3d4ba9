"""Issue 19 point 8 in a real browser: on a 390 px phone every page a coordinator and a
social worker reach from their home page fits the screen. A table wider than the screen
scrolls within itself (mace/static/mace/scroll-tables.js), as a named region the keyboard
can reach, and never the page; axe finds nothing on any of them.

Walks the demonstration data (a small seed), following links from the home page, one page
of each kind (addresses that differ only in their identifiers are the same kind)."""

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from mace.accounts.models import User
from mace.frontend.tests.browser import assert_accessible, sign_in
from mace.meetings.models import PanelSeries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SKIP = re.compile(
    r"sign-out|logout|export|download|\.pdf|\.xlsx|\.csv|\.docx|/api/|/static/|format="
)
OPAQUE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")


def walk(page, base, limit):
    """Pages reached from the home page, breadth first, one of each kind."""
    kinds: set[str] = set()
    queue = ["/"]
    visited = []
    while queue and len(visited) < limit:
        path = queue.pop(0)
        kind = OPAQUE.sub("X", path)
        if kind in kinds:
            continue
        kinds.add(kind)
        page.goto(f"{base}{path}")
        visited.append(path)
        yield path
        for href in page.eval_on_selector_all(
            "main a[href^='/'], header a[href^='/']",
            "links => links.map(a => a.getAttribute('href'))",
        ):
            href = href.split("#")[0]
            if href and not SKIP.search(href) and OPAQUE.sub("X", href) not in kinds:
                queue.append(href)


@pytest.fixture
def default_panels(db):
    """The default panels, loaded again if a transactional test's flush removed what the
    data migration put there (the demonstration's meetings are held by them)."""
    migration = importlib.import_module("mace.meetings.migrations.0003_the_default_panels")
    if not PanelSeries.objects.exists():
        migration.load(apps, None)


def test_every_page_fits_a_phone(
    browser, live_server, default_instrument, a3_library, default_panels
):
    call_command(
        "seed_demo", "--children", "60", "--years", "1", "--seed", "2026", stdout=StringIO()
    )
    too_wide: list[str] = []
    regions = 0
    for username, limit in (("missing.coordinator", 30), ("social.worker", 15)):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        sign_in(page, live_server.url, User.objects.get(username=username))
        visited = 0
        for path in walk(page, live_server.url, limit):
            visited += 1
            if page.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                too_wide.append(f"{username} {path}")
            regions += page.locator(".mace-table-scroll[role=region][tabindex='0']").count()
            assert_accessible(page)
        context.close()
        assert visited >= limit // 2, f"{username}: too few pages reached to mean anything"

    assert too_wide == []
    assert regions > 0  # some table was wider than the phone, and scrolls as a region
