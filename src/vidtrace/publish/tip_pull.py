"""Pulling tips from the public portal into the workbench (docs/decisions/008, point 5).

The workbench asks the portal for the tips after the highest ``portal_seq`` it holds, page by
page until a page comes back empty; pulling again, or after an interruption, stores nothing
twice. Each tip is filed under the published object its public id names, and joins a cluster
of similar tips. A tip about a public id this workbench never published is counted and
skipped. What the portal sends is text from the internet: it is bounded and cleaned before it
is stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from vidtrace.clues.kinds import ClueError, country_code
from vidtrace.publish.portal_client import MOST_TIPS, PortalClient, PortalError, PortalTip
from vidtrace.publish.tip_clusters import TipClusters
from vidtrace.store.tips import NewTip, TipStore

log = logging.getLogger(__name__)

LONGEST_TEXT = 20_000
MOST_SPAM_SIGNS = 20


@dataclass(frozen=True)
class PullResult:
    received: int  # tips the portal handed over
    stored: int  # of them, new to the workbench
    unknown: int  # about objects this workbench did not publish: skipped
    pages: int

    def to_json(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "stored": self.stored,
            "unknown_object": self.unknown,
            "pages": self.pages,
        }

    def to_text(self) -> str:
        skipped = f"; {self.unknown} about objects not published here, skipped" * bool(self.unknown)
        return f"{self.stored} new tips from the portal ({self.received} received{skipped})"


def pull_tips(
    portal: PortalClient, store: TipStore, actor: str, page_size: int = MOST_TIPS
) -> PullResult:
    """Fetch and store every tip the workbench does not hold yet. PortalError when the portal
    cannot be reached: the tips stored from earlier pages stay stored."""
    after = store.highest_seq()
    clusters = TipClusters()
    loaded: set[int] = set()
    received = stored = unknown = pages = 0
    while page := _page(portal, after, page_size):
        pages += 1
        received += len(page)
        objects = store.object_ids(tip.object for tip in page)
        fresh = set(objects.values()) - loaded
        clusters.remember(store.stored_for_clustering(fresh))
        loaded |= fresh
        batch = []
        for tip in page:
            object_id = objects.get(tip.object)
            if object_id is None:
                unknown += 1
                log.warning(
                    "tip %s is about object %r, not published here: skipped", tip.seq, tip.object
                )
                continue
            batch.append(_cleaned(tip, object_id, clusters))
        stored += store.save(batch, actor)
        last = max(tip.seq for tip in page)
        if last <= after:
            log.warning("the portal sent no tip after %s although asked to: stopping", after)
            break
        after = last
    return PullResult(received, stored, unknown, pages)


def _page(portal: PortalClient, after: int, size: int) -> list[PortalTip]:
    try:
        return portal.tips(after=after, limit=size)
    except (ValueError, KeyError, TypeError) as error:
        raise PortalError(f"the portal's answer cannot be read: {error!r}") from error


def _cleaned(tip: PortalTip, object_id: int, clusters: TipClusters) -> NewTip:
    text = _bounded(tip.text, LONGEST_TEXT) or ""
    place = _bounded(tip.place, 200)
    country = _country(tip.country)
    received_at = tip.received_at
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=UTC)
    return NewTip(
        portal_seq=tip.seq,
        object_id=object_id,
        text=text,
        country=country,
        place=place,
        email=_bounded(tip.email, 254),
        language=_bounded(tip.language, 16),
        received_at=received_at,
        spam_signs=tuple(
            sign for sign in (_bounded(s, 100) for s in tip.spam_signs[:MOST_SPAM_SIGNS]) if sign
        ),
        cluster_key=clusters.join(object_id, tip.seq, text, place, country),
    )


def _bounded(value: str | None, most: int) -> str | None:
    """``value`` without NUL characters (PostgreSQL cannot store them) or surrounding space,
    at most ``most`` characters; None when nothing is left."""
    if value is None:
        return None
    cleaned = str(value).replace("\x00", "").strip()[:most]
    return cleaned or None


def _country(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return country_code(str(value))
    except ClueError:
        return None
