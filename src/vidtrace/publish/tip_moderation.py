"""A moderator's decision on a tip, and what it does to the country ranking.

A tip marked useful that names a country or a place becomes a ``tip`` clue on the media item
its object was cropped from, with the tip as its provenance; it then counts in the ranking of
that item's series (the series the object was proposed from, or the one it was merged into).
The clue is proposed, not confirmed: an analyst weighs it like any other. Marking the tip
useful again never makes a second clue; marking it spam or a duplicate rejects its clue, so it
stops counting, and marking it useful once more reopens it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import Engine, select

from vidtrace.clues.analyst_clues import analyst_clue
from vidtrace.domain.clue import ClueStatus
from vidtrace.publish.tip_places import named_place
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.models import ClueRow
from vidtrace.store.tips import TipError, TipStore

WITHDRAWS_CLUE = frozenset({"spam", "duplicate"})


@dataclass(frozen=True)
class TipDecision:
    """What marking a tip did: its status before and after, its clue, and what happened to
    the clue (``added``, ``reopened``, ``rejected``, or None: nothing)."""

    tip_id: int
    before: str
    after: str
    clue_id: int | None
    clue_change: str | None = None


class TipModeration:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.tips = TipStore(engine)
        self.reviews = ClueReviews(engine)

    def mark(self, tip_id: int, status: str, moderator: str) -> TipDecision:
        """Mark a tip (TipError for an unknown tip or status); audited with the moderator."""
        change = self.tips.mark(tip_id, status, moderator)
        decision = TipDecision(tip_id, change.before, change.after, change.clue_id)
        if change.after == "useful":
            return self._useful(decision, moderator)
        clue_id = change.clue_id
        if (
            clue_id is not None
            and change.after in WITHDRAWS_CLUE
            and self._clue_status(clue_id) != ClueStatus.REJECTED
        ):
            reason = f"tip #{tip_id} marked {change.after}"
            self.reviews.review(clue_id, ClueStatus.REJECTED, moderator, reason)
            return dataclasses.replace(decision, clue_change="rejected")
        return decision

    def _useful(self, decision: TipDecision, moderator: str) -> TipDecision:
        clue_id = decision.clue_id
        if clue_id is not None:
            # Useful again after another decision: the clue counts again. A clue an analyst
            # rejected while the tip stayed useful is theirs to reopen.
            reopen = decision.before != "useful"
            if reopen and self._clue_status(clue_id) == ClueStatus.REJECTED:
                reason = f"tip #{decision.tip_id} marked useful again"
                self.reviews.review(clue_id, ClueStatus.PROPOSED, moderator, reason)
                return dataclasses.replace(decision, clue_change="reopened")
            return decision
        made = self._add_clue(decision.tip_id, moderator)
        if made is None:
            return decision
        return dataclasses.replace(decision, clue_id=made, clue_change="added")

    def _add_clue(self, tip_id: int, moderator: str) -> int | None:
        tip = self.tips.get(tip_id)
        if tip is None:
            raise TipError(f"no tip {tip_id}")
        named = named_place(tip["country"], tip["place"])
        if named is None:
            return None
        clue = analyst_clue(
            tip["media_sha256"], "tip", named.name, moderator, named.countries, confirmed=False
        )
        detail = f"tip #{tip_id} from the public via Trace an Object ({tip['title']}): {named.name}"
        clue_id = self.reviews.add(dataclasses.replace(clue, detail=detail))
        if not self.tips.link_clue(tip_id, clue_id):
            # Another request marked the same tip at the same moment and linked its clue
            # first: ours is withdrawn, so the tip counts once.
            reason = f"tip #{tip_id} already has a clue"
            self.reviews.review(clue_id, ClueStatus.REJECTED, moderator, reason)
            found = self.tips.get(tip_id)
            return found["clue_id"] if found else None
        return clue_id

    def _clue_status(self, clue_id: int) -> str | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(ClueRow.status).where(ClueRow.id == clue_id))
