"""The public's journey through the Trace an Object portal in a real browser (Debian's Chromium,
driven by Playwright) against the portal served by uvicorn: the gallery, an object, a tip sent
in French chosen in the language switcher, with JavaScript off and on; the same form filled in
with the keyboard alone; and axe-core over every page in each of the portal's languages.

Any script error or console error in a page fails the test. With $VIDTRACE_SCREENSHOTS set the
gallery and an object page are saved there as ``portal-gallery.png`` and ``portal-object.png``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser_kit import (
    VIEWPORT,
    PageErrors,
    Screenshots,
    ServedApp,
)
from tests.portal.kit import TOKEN
from vidtrace.portal.app import create_portal_app
from vidtrace.portal.i18n import LANGUAGES
from vidtrace.portal.settings import PortalLimits, PortalSettings
from vidtrace.publish.portal_client import PortalClient, PortalTip, PublicObject

pytestmark = pytest.mark.slow


def bag_picture(colour: tuple[int, int, int]) -> bytes:
    """A drawn shopping bag on a plain ground, WebP-encoded: a benign stand-in for a crop."""
    image = Image.new("RGB", (320, 240), (236, 232, 224))
    draw = ImageDraw.Draw(image)
    draw.arc((125, 25, 195, 105), 180, 360, fill=(60, 60, 60), width=8)
    draw.rounded_rectangle((95, 65, 225, 215), radius=10, fill=colour, outline=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "WEBP")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    """The portal with two objects published by the workbench's own client."""
    data: Path = tmp_path_factory.mktemp("portal")
    # Every test sends from 127.0.0.1: a per-client limit that no test here reaches.
    limits = PortalLimits(client_tips_per_minute=1_000)
    settings = PortalSettings(data_dir=data, token=TOKEN, limits=limits)
    served = ServedApp(create_portal_app(settings), "portal")
    served.start()
    now = datetime.now(UTC)
    with PortalClient(served.url, TOKEN) as client:
        for n, (title, colour) in enumerate(
            [("A red shopping bag", (190, 40, 40)), ("A green tote bag", (30, 140, 70))]
        ):
            client.publish(
                PublicObject(
                    public_id=f"{n + 1:032x}",
                    title=title,
                    description="Seen in the background of several pictures.",
                    questions=("Where is it sold?", "In which years was it made?"),
                    category="packaging",
                    image_webp=bag_picture(colour),
                    published_at=now - timedelta(days=n),  # the red bag first in the gallery
                )
            )
    yield served
    served.stop()


def new_page(
    chromium: Browser, portal: ServedApp, errors: PageErrors, javascript: bool = True
) -> Page:
    """A page in a fresh browser context: its own cookies, as a new visitor has."""
    context = chromium.new_context(
        base_url=portal.url, viewport=VIEWPORT, java_script_enabled=javascript
    )
    context.set_default_timeout(10_000)
    return errors.listen(context.new_page())


def tips_received(portal: ServedApp) -> list[PortalTip]:
    with PortalClient(portal.url, TOKEN) as client:
        return client.tips(0)


def tip_with(portal: ServedApp, text: str) -> PortalTip:
    found = [tip for tip in tips_received(portal) if tip.text == text]
    assert len(found) == 1, f"{text!r} stored {len(found)} times"
    return found[0]


@pytest.mark.parametrize("javascript", [False, True], ids=["no-javascript", "javascript"])
def test_a_tip_in_french_from_the_gallery(
    chromium: Browser, portal: ServedApp, errors: PageErrors, javascript: bool
) -> None:
    page = new_page(chromium, portal, errors, javascript)
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("nav.languages a[hreflang=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Retracer l'objet")
    page.get_by_role("link", name="A red shopping bag").click()

    # The object page stays in French: the switcher's choice is remembered.
    expect(page).to_have_url(f"{portal.url}/objects/{1:032x}")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("img", name="A red shopping bag")).to_be_visible()
    text = f"Ce sac est vendu à Lyon (JavaScript {'on' if javascript else 'off'})."
    page.get_by_label("Votre signalement").fill(text)
    page.locator("#tip-country").select_option("FR")
    page.locator("#tip-place").fill("Lyon")
    page.locator("#tip-consent").check()
    page.get_by_role("button", name="Envoyer le signalement").click()

    expect(page.locator("h1")).to_have_text("Merci")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    tip = tip_with(portal, text)
    assert (tip.object, tip.language, tip.country, tip.place) == (f"{1:032x}", "fr", "FR", "Lyon")


def test_the_tip_form_with_the_keyboard_alone(
    chromium: Browser, portal: ServedApp, errors: PageErrors
) -> None:
    page = new_page(chromium, portal, errors)
    page.goto(f"/objects/{2:032x}")

    def tab_to(selector: str, most: int = 40) -> None:
        """Press Tab until ``selector`` has the focus, and check that the focus shows."""
        target = page.locator(selector)
        for _ in range(most):
            page.keyboard.press("Tab")
            if target.evaluate("element => element === document.activeElement"):
                outline = target.evaluate("element => getComputedStyle(element).outlineStyle")
                assert outline != "none", f"{selector} has the focus but shows no focus ring"
                return
        raise AssertionError(f"{selector} cannot be reached with the Tab key")

    # The first Tab reaches the skip link; following it puts the main content next in line.
    tab_to("a.skip-link", most=1)
    page.keyboard.press("Enter")
    tab_to("#tip-text", most=3)
    text = "This bag is sold at the Friday market in Ghent."
    page.keyboard.type(text)
    tab_to("#tip-country")
    page.keyboard.type("Belg")  # a focused select picks the option typed
    tab_to("#tip-place")
    page.keyboard.type("Ghent")
    tab_to("#tip-consent")
    page.keyboard.press("Space")
    expect(page.locator("#tip-consent")).to_be_checked()
    tab_to("form.tip-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Thank you")
    tip = tip_with(portal, text)
    assert (tip.object, tip.country, tip.place) == (f"{2:032x}", "BE", "Ghent")


def no_violations(page: Page, axe: Axe, what: str) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{what}:\n{results.generate_report()}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_passes_axe(
    chromium: Browser, portal: ServedApp, errors: PageErrors, lang: str
) -> None:
    axe = Axe()
    shots = Screenshots() if lang == "en" else None
    page = new_page(chromium, portal, errors)
    page.goto(f"/?lang={lang}")  # remembered from here on
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    no_violations(page, axe, "the gallery")
    if shots:
        shots.take(page, "portal-gallery", full_page=True)

    for path, what in [("/privacy", "the privacy notice"), ("/statistics", "the statistics")]:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        no_violations(page, axe, what)

    page.goto(f"/objects/{1:032x}")
    no_violations(page, axe, "the object page")
    if shots:
        shots.take(page, "portal-object", full_page=True)

    # The form sent back with its problems named (422, the error summary and marked fields).
    page.locator("#tip-place").fill("x" * 10)
    page.locator("form.tip-form").evaluate("form => form.noValidate = true")
    page.locator("form.tip-form button[type=submit]").click()
    expect(page.locator(".problems")).to_be_visible()
    # Chromium logs the refused form's status as a console error; that one was meant.
    assert errors.forgive("status of 422") == 1
    no_violations(page, axe, "the object page with problems in the form")

    page.locator("#tip-text").fill(f"A tip to reach the thank-you page ({lang}).")
    page.locator("#tip-consent").check()
    page.locator("form.tip-form button[type=submit]").click()
    expect(page.locator("ul.next")).to_be_visible()
    no_violations(page, axe, "the thank-you page")
