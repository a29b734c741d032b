"""Trace an Object across both sides in real browsers (Debian's Chromium, driven by Playwright):
an analyst proposes an object cut from a picture, two reviewers approve it, it appears on the
public portal (its own process-like server and database), someone sends a tip in French naming a
place, the moderator fetches it and marks it useful, and the place's country shows among the
series' clues and in its country ranking.

The workbench and the portal run under uvicorn on their own ports; the workbench reaches the
portal only through the sync API with its token (ADR 008). Any script or console error fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from tests.e2e.browser_kit import (
    PASSWORD,
    BrowserWorkspace,
    PageErrors,
    Screenshots,
    ServedApp,
    build_workspace,
    new_page,
    sign_in,
)
from tests.kit.trace_objects import add_reviewers
from vidtrace.domain.viewer import Role
from vidtrace.portal.app import create_portal_app
from vidtrace.portal.settings import PortalLimits, PortalSettings
from vidtrace.store.models import AuditEvent, ClueRow, PublishedObject, Tip
from vidtrace.store.users import UserStore
from vidtrace.web.app import create_app

pytestmark = pytest.mark.slow

TOKEN = "e2e-portal-token"
TITLE = "A striped shopping bag"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserWorkspace]:
    built = build_workspace(tmp_path_factory.mktemp("trace"))
    add_reviewers(built.app)  # rosa and remy, Agency A
    UserStore(built.app.engine).add("mona", PASSWORD, Role.MODERATOR, "Agency A", "test")
    yield built
    built.app.close()


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    data: Path = tmp_path_factory.mktemp("portal")
    settings = PortalSettings(data_dir=data, token=TOKEN, limits=PortalLimits())
    served = ServedApp(create_portal_app(settings), "portal")
    served.start()
    yield served
    served.stop()


@pytest.fixture(scope="module")
def workbench(workspace: BrowserWorkspace, portal: ServedApp) -> Iterator[ServedApp]:
    web = create_app(workspace.app)
    web.state.services.portal_url = portal.url
    web.state.services.portal_token = TOKEN
    served = ServedApp(web, "workbench")
    served.start()
    yield served
    served.stop()


def signed_in(chromium: Browser, server: ServedApp, errors: PageErrors, name: str) -> Page:
    page = new_page(chromium, server, errors)
    page.goto("/login")
    sign_in(page, name)
    expect(page).to_have_url(f"{server.url}/")
    return page


def drag_box(page: Page) -> None:
    """A box over the middle of the picture, drawn with the mouse."""
    page.wait_for_function("() => document.querySelector('#item-image').complete")
    stage = page.locator("#stage").bounding_box()
    assert stage is not None
    x, y, width, height = stage["x"], stage["y"], stage["width"], stage["height"]
    page.mouse.move(x + 0.2 * width, y + 0.2 * height)
    page.mouse.down()
    page.mouse.move(x + 0.8 * width, y + 0.8 * height, steps=8)
    page.mouse.up()


def test_an_object_goes_public_and_a_tip_comes_back_as_a_clue(
    chromium: Browser,
    workspace: BrowserWorkspace,
    workbench: ServedApp,
    portal: ServedApp,
    errors: PageErrors,
) -> None:
    shots = Screenshots()
    picture = workspace.media["a-3"]
    series = workspace.series["a"]

    # The analyst proposes an object from the media viewer.
    alice = signed_in(chromium, workbench, errors, "alice")
    alice.goto(f"/media/{picture}")
    drag_box(alice)
    alice.fill("#object-title", TITLE)
    alice.fill("#object-description", "Seen on a chair in several pictures.")
    alice.fill("#object-questions", "Where is this bag sold?")
    alice.select_option("#object-category", "packaging")
    alice.click("#propose-form button[type=submit]")
    expect(alice.locator("#object-status")).to_contain_text("proposed")
    object_id = int(alice.url.rstrip("/").rsplit("/", 1)[1])
    expect(alice.locator("#approve-form")).to_have_count(0)  # not by the proposer

    # Two reviewers approve; the second approval publishes it.
    for reviewer, status in (("rosa", "proposed"), ("remy", "published")):
        page = signed_in(chromium, workbench, errors, reviewer)
        page.goto(f"/objects/{object_id}")
        page.click("#approve-form button[type=submit]")
        expect(page.locator("#object-status")).to_contain_text(status)
        if status == "published":
            shots.take(page, "object-review")
    with workspace.app.engine.connect() as conn:
        public_id = conn.scalar(
            select(PublishedObject.public_id).where(PublishedObject.id == object_id)
        )
    assert public_id

    # The public finds it on the portal, switches to French, and sends a tip naming a place.
    public = new_page(chromium, portal, errors)
    public.goto("/")
    public.click(f'a[href="/objects/{public_id}"]')
    expect(public.locator("h1")).to_contain_text(TITLE)
    public.click('a[hreflang="fr"]')
    expect(public.locator("html")).to_have_attribute("lang", "fr")
    public.fill("#tip-text", "Je pense avoir vu ce sac dans un magasin de Bruxelles.")
    public.fill("#tip-place", "Bruxelles")
    public.check("#tip-consent")
    public.click("form.tip-form button[type=submit]")
    expect(public.locator("main")).to_contain_text("Merci")

    # The moderator fetches the tips and marks it useful.
    mona = signed_in(chromium, workbench, errors, "mona")
    mona.goto("/tips")
    mona.click("#fetch-tips button[type=submit]")
    tip = mona.locator("article.tip", has_text="Bruxelles")
    expect(tip).to_have_count(1)
    expect(tip).to_have_attribute("data-status", "new")
    tip.locator("button[value=useful]").click()
    mona.goto("/tips?status=useful")
    expect(mona.locator("article.tip", has_text="Bruxelles")).to_have_attribute(
        "data-status", "useful"
    )
    shots.take(mona, "tips")

    # The tip is a clue on the series now, and Belgium is in its country ranking.
    alice.goto(f"/series/{series}")
    expect(alice.locator("table.clues")).to_contain_text("Bruxelles")
    expect(alice.locator("table.ranking")).to_contain_text("BE")
    with workspace.app.engine.connect() as conn:
        stored = conn.execute(select(Tip.language, Tip.status, Tip.clue_id)).one()
        clue = conn.execute(select(ClueRow).where(ClueRow.id == stored.clue_id)).one()
        actions = set(conn.scalars(select(AuditEvent.action)))
    assert (stored.language, stored.status) == ("fr", "useful")
    assert (clue.kind, clue.media_sha256, clue.countries) == ("tip", picture, {"BE": 1.0})
    assert {"propose-object", "approve-object", "publish-object"} <= actions
