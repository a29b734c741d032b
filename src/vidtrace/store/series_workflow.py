"""The review workflow of a series: its status, who it is assigned to, and its notes thread.

Each change is one transaction with its audit record (who, which agency, from and to) and marks
the series' ``last_activity``. A series the viewer may not see is treated exactly like a
missing one, with the same message, so existence never leaks.

The status rule: a series moves one step at a time along
``new -> in-analysis -> country-identified -> victim-identified -> closed``, forward or one
step back (to undo a mistake). One shortcut: ``country-identified -> closed``, because a series
is exported once its country is notified, and the victim may be identified much later or never.
Any other jump (``new -> closed``) is refused. Setting the status a series already has changes
nothing and records nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, exists, insert, select, update

from vidtrace.domain.viewer import Viewer
from vidtrace.store.access import series_visible
from vidtrace.store.audit import record_audit
from vidtrace.store.models import Series, SeriesNote, User, utcnow

STATUSES = ("new", "in-analysis", "country-identified", "victim-identified", "closed")
# Moves allowed besides one step forward or back along STATUSES; see the module docstring.
SHORTCUTS = frozenset({("country-identified", "closed")})
MAX_NOTE = 10_000


class WorkflowError(ValueError):
    """The change cannot be made; the message says why, for the analyst."""


def transition_allowed(current: str, wanted: str) -> bool:
    """Whether a series in status ``current`` may move to ``wanted`` (both known statuses)."""
    step = STATUSES.index(wanted) - STATUSES.index(current)
    return step in (1, -1) or (current, wanted) in SHORTCUTS


class SeriesWorkflow:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def set_status(self, viewer: Viewer, series_id: int, status: str) -> None:
        if status not in STATUSES:
            raise WorkflowError(f"unknown status {status!r}; one of {', '.join(STATUSES)}")
        with self.engine.begin() as conn:
            current = self._live(conn, viewer, series_id).status or "new"
            if current == status:
                return
            if not transition_allowed(current, status):
                raise WorkflowError(
                    f"series {series_id} is {current}; it cannot go to {status} in one step"
                )
            self._touch(conn, series_id, status=status)
            self._audit(conn, viewer, "series.status", series_id, {"from": current, "to": status})

    def assign(self, viewer: Viewer, series_ids: Sequence[int], assignee: str | None) -> int:
        """Assign every series to ``assignee`` (a user name; None unassigns). All or none:
        one invisible series refuses the lot. Returns how many series changed."""
        if assignee is not None:
            assignee = assignee.strip() or None
        changed = 0
        with self.engine.begin() as conn:
            if assignee is not None:
                user = exists().where(User.name == assignee, User.disabled.is_(False))
                if not conn.scalar(select(user)):
                    raise WorkflowError(f"no user {assignee}")
            rows = [self._live(conn, viewer, sid) for sid in dict.fromkeys(series_ids)]
            for row in rows:
                if row.assignee == assignee:
                    continue
                self._touch(conn, row.id, assignee=assignee)
                detail = {"from": row.assignee, "to": assignee}
                self._audit(conn, viewer, "series.assign", row.id, detail)
                changed += 1
        return changed

    def add_note(self, viewer: Viewer, series_id: int, text: str) -> int:
        """Add a note to the series' thread; its id. The text is stored exactly as given
        (templates escape it). It must hold something besides spaces, and at most 10,000
        characters."""
        if not text.strip():
            raise WorkflowError("a note cannot be empty")
        if len(text) > MAX_NOTE:
            raise WorkflowError(f"a note holds at most {MAX_NOTE:,} characters")
        with self.engine.begin() as conn:
            self._live(conn, viewer, series_id)
            key = conn.execute(
                insert(SeriesNote).values(series_id=series_id, author=viewer.name, text=text)
            ).inserted_primary_key
            assert key is not None
            note_id = int(key[0])
            self._touch(conn, series_id)
            self._audit(conn, viewer, "series.note", series_id, {"note": note_id})
        return note_id

    def notes(self, series_id: int, viewer: Viewer | None = None) -> list[dict[str, Any]]:
        """The series' notes, oldest first: id, author, text, at (ISO 8601). Pass ``viewer``
        to have an invisible series refused like a missing one."""
        query = (
            select(SeriesNote)
            .where(SeriesNote.series_id == series_id)
            .order_by(SeriesNote.at, SeriesNote.id)
        )
        with self.engine.connect() as conn:
            if viewer is not None:
                self._live(conn, viewer, series_id)
            return [
                {"id": row.id, "author": row.author, "text": row.text, "at": row.at.isoformat()}
                for row in conn.execute(query)
            ]

    @staticmethod
    def _live(conn: Connection, viewer: Viewer, series_id: int) -> Any:
        row = conn.execute(select(Series).where(Series.id == series_id)).first()
        if row is None or not series_visible(conn, viewer, series_id):
            raise WorkflowError(f"no series {series_id}")
        if row.merged_into is not None:
            raise WorkflowError(f"series {series_id} was merged into series {row.merged_into}")
        return row

    @staticmethod
    def _touch(conn: Connection, series_id: int, **values: Any) -> None:
        conn.execute(
            update(Series).where(Series.id == series_id).values(last_activity=utcnow(), **values)
        )

    @staticmethod
    def _audit(
        conn: Connection, viewer: Viewer, action: str, series_id: int, detail: dict[str, Any]
    ) -> None:
        record_audit(conn, viewer.name, action, "series", series_id, detail, agency=viewer.agency)
