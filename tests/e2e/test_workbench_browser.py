"""The analyst's whole journey in a real browser (Debian's Chromium, driven by Playwright) against
the workbench served by uvicorn over a workspace built by the real pipeline: sign in, triage,
open the top series, reveal an item (audited), mark a clue in a box drawn with the mouse,
confirm a proposed clue, decide the country, use the keyboard shortcuts, sign out.

Any script error or console error in a page fails the test. With $VIDTRACE_SCREENSHOTS set
(``VIDTRACE_SCREENSHOTS=docs/screenshots``) the main pages are saved there as PNGs.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from tests.e2e.browser_kit import (
    BrowserWorkspace,
    LiveServer,
    PageErrors,
    Screenshots,
    build_workspace,
    new_page,
    sign_in,
)
from vidtrace.store.models import AuditEvent, ClueRow, Series, User

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserWorkspace]:
    built = build_workspace(tmp_path_factory.mktemp("browser"))
    yield built
    built.app.close()


@pytest.fixture(scope="module")
def server(workspace: BrowserWorkspace) -> Iterator[LiveServer]:
    live = LiveServer(workspace.app)
    live.start()
    yield live
    live.stop()


def audit_actors(bench: BrowserWorkspace, action: str, object_id: object) -> list[str]:
    """Who the audit rows of ``action`` on ``object_id`` name."""
    query = select(AuditEvent.actor).where(
        AuditEvent.action == action, AuditEvent.object_id == str(object_id)
    )
    with bench.app.engine.connect() as conn:
        return list(conn.scalars(query))


def wait_for_audit(bench: BrowserWorkspace, action: str, object_id: object) -> list[str]:
    """The audit rows of a request the page made in the background (an image load)."""
    deadline = time.monotonic() + 5
    while not (found := audit_actors(bench, action, object_id)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def clue_rows(bench: BrowserWorkspace, media: str) -> list[Any]:
    """The clue rows of one media item, oldest first."""
    query = select(ClueRow).where(ClueRow.media_sha256 == media).order_by(ClueRow.id)
    with bench.app.engine.connect() as conn:
        return list(conn.execute(query).all())


def column(table: Locator, heading: str) -> int:
    """The index of the column headed ``heading``: cells are found by their heading, so a
    column added to the table does not move what the test reads."""
    headings = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    return headings.index(heading)


def member_sha(grid: Locator, index: int) -> str:
    sha = grid.nth(index).locator("button.reveal").get_attribute("data-sha")
    assert sha is not None
    return sha


def all_images_loaded(page: Page, selector: str) -> None:
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(i => i.complete && i.naturalWidth > 0)",
        arg=selector,
    )


def sharpest_edge(image: Image.Image) -> float:
    """The steepest step between neighbouring pixels (99.9th percentile, so a JPEG artefact
    does not count): the generated pictures' block edges, which a blur flattens."""
    pixels = np.asarray(image.convert("L"), dtype=np.float64)
    steps = np.concatenate(
        [np.abs(np.diff(pixels, axis=1)).ravel(), np.abs(np.diff(pixels, axis=0)).ravel()]
    )
    return float(np.percentile(steps, 99.9))


def test_analyst_journey(
    chromium: Browser, server: LiveServer, workspace: BrowserWorkspace, errors: PageErrors
) -> None:
    shots = Screenshots()
    top, second = workspace.series["a"], workspace.series["b"]
    page = new_page(chromium, server, errors)

    # Sign in: a browser without a session is sent to the form; a wrong password is refused.
    page.goto("/")
    expect(page).to_have_url(f"{server.url}/login")
    expect(page.locator("h1")).to_have_text("Sign in")
    shots.take(page, "login")
    sign_in(page, "alice", "not the password")
    expect(page.locator(".message")).to_have_text("Wrong name or password.")
    assert errors.forgive("status of 401") == 1, "the refused sign-in answers 401"
    sign_in(page, "alice")
    expect(page).to_have_url(f"{server.url}/")
    expect(page.locator(".who")).to_have_text("alice (analyst, Agency A)")
    expect(page.locator("#revealed-today")).to_have_text("0")

    # Triage: alice's two series by priority, with the rule; the known item counted, not shown.
    expect(page.locator(".rule")).to_contain_text("Priority is out of 100 points")
    expect(page.locator(".hidden-known")).to_have_text("1 known items hidden")
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(2)
    series_links = [rows.nth(i).locator('a[href^="/series/"]') for i in (0, 1)]
    hrefs = [link.get_attribute("href") for link in series_links]
    assert hrefs == [f"/series/{top}", f"/series/{second}"], "Agency B's series stays hidden"
    priority = column(page.locator("table.queue"), "Priority")
    priorities = [float(rows.nth(i).locator("td").nth(priority).inner_text()) for i in (0, 1)]
    assert priorities[0] > priorities[1]
    expect(rows.first.locator("ul.parts")).to_contain_text("clue richness")
    all_images_loaded(page, "table.queue img")
    expect(page.locator("table.queue img.masked")).to_have_count(2)
    shots.take(page, "triage")

    # The top series: four members, every thumbnail masked and loaded.
    series_links[0].click()
    expect(page).to_have_url(f"{server.url}/series/{top}")
    grid = page.locator("ul.grid li")
    expect(grid).to_have_count(4)
    for index in range(4):
        thumbnail = grid.nth(index).locator("img")
        expect(thumbnail).to_have_class("masked")
        expect(thumbnail).to_have_attribute("src", f"/media/{member_sha(grid, index)}/thumbnail")
    all_images_loaded(page, "ul.grid img")
    expect(page.locator("table.ranking tbody tr").first).to_contain_text("NL")
    expect(page.locator("table.clues tbody")).to_contain_text("proposed")

    # Reveal one item: the clear picture loads, the counter rises, the reveal is audited.
    revealed = workspace.media["a-3"]
    member = grid.filter(has=page.locator(f'a[href="/media/{revealed}"]'))
    member.locator("button.reveal").click()
    expect(page.locator("#revealed-today")).to_have_text("1")
    expect(member.locator("img")).not_to_have_class("masked")
    assert (member.locator("img").get_attribute("src") or "").startswith(
        f"/media/{revealed}/full?reveal="
    )
    all_images_loaded(page, "ul.grid img")
    assert audit_actors(workspace, "reveal", revealed) == ["alice"]
    assert wait_for_audit(workspace, "view", revealed) == ["alice"], "the clear picture's load"

    # The administrator sees that reveal in the audit log, from a second browser.
    admin = new_page(chromium, server, errors)
    admin.goto("/login")
    sign_in(admin, "admin")
    expect(admin).to_have_url(f"{server.url}/")
    admin.goto(f"/admin/audit?action=reveal&object_id={revealed}")
    event = admin.locator("table.audit tbody tr")
    expect(event).to_have_count(1)
    expect(event).to_contain_text("alice")
    expect(event).to_contain_text(f"media {revealed}")

    # The media viewer: draw a box over the picture with the mouse and mark a clue in it.
    # The lesser key of the two photos with GPS clues has a next member, for "j" below.
    marked = min(workspace.media["a-1"], workspace.media["a-2"])
    page.locator(f'ul.grid a[href="/media/{marked}"]').click()
    expect(page).to_have_url(f"{server.url}/media/{marked}")
    expect(page.locator("#item-image")).to_have_class("masked")
    all_images_loaded(page, "#item-image")
    stage = page.locator("#stage").bounding_box()
    assert stage is not None
    x, y, width, height = stage["x"], stage["y"], stage["width"], stage["height"]
    page.mouse.move(x + 0.2 * width, y + 0.25 * height)
    page.mouse.down()
    page.mouse.move(x + 0.6 * width, y + 0.75 * height, steps=8)
    page.mouse.up()
    expect(page.locator("#box")).to_be_visible()
    box = [float(v) for v in page.input_value("#box-field").split(",")]
    assert box == pytest.approx([0.2, 0.25, 0.4, 0.5], abs=0.02)
    page.select_option("#clue-kind", "sign")
    page.fill("#clue-form input[name=value]", "Bakkerij Jansen")
    page.fill("#clue-form input[name=countries]", "NL")
    shots.take(page, "media")
    page.fill("#clue-form input[name=countries]", "XX")
    page.click("#clue-form button:has-text('mark clue')")
    expect(page.locator("#clue-error")).to_contain_text("'XX' is not an ISO 3166-1")
    # The refused clue's 400 is shown to the analyst; Chromium also logs it as a console error.
    assert errors.forgive("status of 400") == 1
    page.fill("#clue-form input[name=countries]", "NL")
    page.click("#clue-form button:has-text('mark clue')")
    expect(page.locator("aside ul.clues")).to_contain_text("sign: Bakkerij Jansen → NL")
    [clue] = [row for row in clue_rows(workspace, marked) if row.analyst == "alice"]
    assert (clue.kind, clue.value, clue.status, clue.countries) == (
        "sign",
        "Bakkerij Jansen",
        "confirmed",
        {"NL": 1.0},
    )
    assert [clue.box_x, clue.box_y, clue.box_width, clue.box_height] == pytest.approx(box)
    assert audit_actors(workspace, "add-clue", clue.id) == ["alice"]

    # Shortcuts: "?" (or the button) shows and hides the help, "r" reveals, "j" goes to the next
    # item.
    shortcuts = page.locator("#shortcut-help")
    expect(shortcuts).to_be_hidden()
    page.keyboard.press("?")
    expect(shortcuts).to_be_visible()
    expect(shortcuts).to_contain_text("reveal this item")
    page.keyboard.press("?")
    expect(shortcuts).to_be_hidden()
    page.click("button.show-help")
    expect(shortcuts).to_be_visible()
    page.keyboard.press("?")
    expect(shortcuts).to_be_hidden()
    page.keyboard.press("r")
    expect(page.locator("#revealed-today")).to_have_text("2")
    expect(page.locator("#item-image")).not_to_have_class("masked")
    all_images_loaded(page, "#item-image")
    assert audit_actors(workspace, "reveal", marked) == ["alice"]
    shots.take(page, "media-revealed")
    following = page.locator("nav.neighbours").get_attribute("data-next")
    assert following
    page.keyboard.press("j")
    expect(page).to_have_url(f"{server.url}/media/{following}")

    # The series page again: confirm a proposed GPS clue, then decide the country.
    page.goto(f"/series/{top}")
    [gps] = [row.id for row in clue_rows(workspace, marked) if row.kind == "gps"]
    confirm = page.locator(f'form[action="/clues/{gps}/confirm?series={top}"] button')
    expect(confirm.locator("xpath=ancestor::tr")).to_contain_text("proposed")
    confirm.click()
    expect(page).to_have_url(f"{server.url}/series/{top}")
    expect(confirm.locator("xpath=ancestor::tr")).to_contain_text("confirmed")
    [reviewed] = [row for row in clue_rows(workspace, marked) if row.id == gps]
    assert (reviewed.status, reviewed.reviewed_by) == ("confirmed", "alice")
    assert audit_actors(workspace, "confirmed-clue", gps) == ["alice"]
    page.fill("input[name=country]", "NL")
    page.fill("textarea[name=note]", "GPS of two items in Amsterdam, confirmed")
    page.click("button:has-text('decide the country')")
    expect(page.locator("section", has_text="Country of production")).to_contain_text("Decided: NL")
    expect(page.locator("p.decision")).to_contain_text("alice decided NL")
    with workspace.app.engine.connect() as conn:
        assert conn.scalar(select(Series.country).where(Series.id == top)) == "NL"
    assert audit_actors(workspace, "decide-country", top) == ["alice"]
    shots.take(page, "series", full_page=True)

    # Revealing the whole page of members asks first, then reveals (and audits) each one.
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button.reveal-series")
    expect(page.locator("#revealed-today")).to_have_text("6")
    expect(page.locator("ul.grid img.masked")).to_have_count(0)
    all_images_loaded(page, "ul.grid img")
    assert audit_actors(workspace, "reveal", revealed) == ["alice", "alice"]

    # The administrator's audit log now tells the whole story.
    admin.goto("/admin/audit")
    log = admin.locator("table.audit tbody")
    for action in ("login", "login-failed", "reveal", "view", "add-clue", "decide-country"):
        expect(log.locator("td", has_text=action).first).to_be_visible()
    shots.take(admin, "audit")

    # Search from the header: the clue's words find the item, shown masked.
    page.fill("header input[name=q]", "Bakkerij")
    page.press("header input[name=q]", "Enter")
    expect(page).to_have_url(f"{server.url}/search?q=Bakkerij")
    hit = page.locator("table.search-hits tbody tr", has_text="Bakkerij Jansen")
    expect(hit).to_have_count(1)
    expect(hit.locator(f'a[href="/media/{marked}"]').first).to_be_visible()
    expect(hit.locator("img")).to_have_class("masked")
    all_images_loaded(page, "table.search-hits img")
    shots.take(page, "search")

    # Signing out ends the session on the server: its old cookie no longer opens anything.
    cookies = page.context.cookies()
    page.click("button:has-text('sign out')")
    expect(page).to_have_url(f"{server.url}/login")
    page.goto("/")
    expect(page).to_have_url(f"{server.url}/login")
    page.context.add_cookies(cookies)  # type: ignore[arg-type]
    page.goto(f"/series/{top}")
    expect(page).to_have_url(f"{server.url}/login")
    with workspace.app.engine.connect() as conn:
        alice_id = conn.scalar(select(User.id).where(User.name == "alice"))
    assert audit_actors(workspace, "logout", alice_id) == ["alice"]


def test_masked_thumbnail_is_grey_and_blurred_and_other_agencies_see_nothing(
    chromium: Browser, server: LiveServer, workspace: BrowserWorkspace, errors: PageErrors
) -> None:
    page = new_page(chromium, server, errors)
    page.goto("/login")
    sign_in(page, "bob")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    key = workspace.media["c-1"]
    masked = Image.open(io.BytesIO(page.request.get(f"/media/{key}/thumbnail").body()))
    assert masked.mode == "L", "masked thumbnails are greyscale by default"
    clear = Image.open(io.BytesIO(page.request.get(f"/media/{key}/full").body()))
    assert sharpest_edge(masked) < sharpest_edge(clear.resize(masked.size)) / 5
    assert page.request.get(f"/media/{workspace.media['a-1']}/thumbnail").status == 404
    answer = page.goto(f"/series/{workspace.series['a']}")
    assert answer is not None and answer.status == 404, "Agency A's series is not bob's"
    assert errors.forgive("status of 404") == 1, "the refused page answers 404"
