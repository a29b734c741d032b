"""A portal killed (SIGKILL) in the middle of a burst of tips and started again on the same port
and data folder loses no tip it acknowledged and stores none twice, while the senders send
again, with the same idempotency key, every tip that got no answer.

The quick version of the failure run of ``bench/portal_load.py``: the real ``vidtrace portal``
process, a few seconds of tips at a modest rate from twenty visitors, one of them faster than
the per-client limit.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.portal_traffic import (
    PortalProcess,
    check_integrity,
    load_run,
    plan_crowd,
    publish_objects,
    stored_texts,
)

RATE = 40.0  # tips a second
SECONDS = 4.0  # the burst; the kill comes half way
CLIENTS = 20
CONCURRENCY = 8


def test_a_killed_portal_loses_no_acknowledged_tip_and_stores_none_twice(tmp_path: Path) -> None:
    crowd = plan_crowd(RATE, SECONDS, CLIENTS)
    portal = PortalProcess(tmp_path, crowd.client_limit, tips_per_minute=100_000)
    try:
        portal.start()
        ids = publish_objects(portal.url, 2)
        run = asyncio.run(
            load_run(portal, ids, crowd, RATE, SECONDS, CONCURRENCY, kill_half_way=True)
        )
        texts = stored_texts(portal.url)
    finally:
        portal.stop()

    records = run.sender.records
    assert len(records) == RATE * SECONDS
    integrity = check_integrity(records, texts)
    assert integrity.lost == []
    assert integrity.duplicated == []
    assert integrity.refused_but_stored == []
    assert integrity.never_sent == []
    # The kill cut requests off, and every one of them was answered once the portal was back:
    # what is stored is then exactly what the senders were told was accepted.
    retried = [record for record in records if record.failures]
    assert retried, "no request went unanswered: was the portal killed?"
    assert [record.key for record in records if record.status is None] == []
    assert set(integrity.stored) == {record.key for record in records if record.status == 200}
    assert any(record.status == 200 for record in retried)
    assert any(r.status == 200 and r.answered_at < run.killed_at for r in records)
    assert any(r.status == 200 and r.answered_at > run.back_at for r in records)
    # No form was refused: the only refusal allowed is the per-client limit's 429.
    assert {record.status for record in records} <= {200, 429}
