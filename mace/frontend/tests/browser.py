"""Driving Debian's headless chromium with Playwright, and checking pages with axe."""

from collections.abc import Iterator
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_axe = Axe()


def launch() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def assert_accessible(page: Page) -> None:
    """No WCAG 2.2 A or AA violation that axe can find on the page as it is now.

    A click on a link starts a navigation that may not have finished when axe is
    run; axe then finds no document. The page is checked once it has loaded, and
    checked again if a navigation replaced it while axe was running.
    """
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    page.wait_for_load_state("load")
    try:
        results = _axe.run(page, options=options)
    except PlaywrightError:
        page.wait_for_load_state("load")
        results = _axe.run(page, options=options)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


PASSWORD = "browser-test-password-1"


def sign_in(page: Page, base: str, user: Any) -> None:
    """Sign in through the real pages, password then a TOTP code, checking each with axe."""
    from mace.accounts.tests.factories import add_totp_device

    user.set_password(PASSWORD)
    user.must_change_password = False
    user.save()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_totp_device(user)
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Sign in to MACE")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Security code").fill(current_code(device))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
