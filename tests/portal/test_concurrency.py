"""Under concurrent retries no tip is lost and none is stored twice: the portal served by
uvicorn, many threads sending at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.portal.conftest import LivePortal
from tests.portal.kit import BEARER, TOKEN, hidden_fields, publish
from vidtrace.portal.settings import PortalLimits, PortalSettings


@pytest.fixture
def portal_settings(tmp_path: Path) -> PortalSettings:
    """Limits high enough that only concurrency is tested here."""
    limits = PortalLimits(client_tips_per_minute=10_000, tips_per_minute=10_000)
    return PortalSettings(data_dir=tmp_path / "portal", token=TOKEN, limits=limits)


def test_concurrent_retries_store_each_tip_once(live_portal: LivePortal) -> None:
    with httpx.Client(base_url=live_portal.url) as workbench:
        public_id = publish(workbench)
    with httpx.Client(base_url=live_portal.url) as browser:
        form = hidden_fields(browser.get(f"/objects/{public_id}").text)
        cookies = dict(browser.cookies)

    def send(number: int) -> int:
        tip = number % 25  # 25 tips, each sent 4 times at once
        data = {**form, "idempotency_key": f"tip-key-{tip:04d}-abcdefgh", "consent": "yes"}
        data["text"] = f"Tip number {tip}: the bottle is sold in Antwerp."
        with httpx.Client(base_url=live_portal.url, cookies=cookies, timeout=60) as client:
            return client.post(f"/objects/{public_id}/tips", data=data).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(send, range(100)))
    assert statuses == [200] * 100
    with httpx.Client(base_url=live_portal.url, headers=BEARER) as workbench:
        answer = workbench.get("/sync/tips", params={"after": 0}).json()
    texts = [tip["text"] for tip in answer["tips"]]
    assert sorted(texts) == sorted(
        f"Tip number {n}: the bottle is sold in Antwerp." for n in range(25)
    )
    seqs = [tip["seq"] for tip in answer["tips"]]
    assert seqs == sorted(set(seqs)) and answer["last"] == seqs[-1]
