"""Fixtures of the browser tests: Debian's Chromium (never a downloaded one) and the check that
no page of a test logged a script or console error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import require
from tests.e2e.browser_kit import CHROMIUM, CHROMIUM_ARGS, PageErrors


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def errors() -> Iterator[PageErrors]:
    found = PageErrors()
    yield found
    assert found.seen == [], "script or console errors in the pages"
