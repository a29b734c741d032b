"""The workbench's search: media by hash, PDQ hash, file name or path, camera, recognised text
and clue value, among the media the viewer may see.

Only what ``viewer`` may see is read: a media item found in one of their visible cases (see
store/access.py), and for paths only the places in those cases. Nothing says how many items
of other agencies match. Every search is answered from an index (store/search_predicates.py):
none reads the media table from end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, exists, or_, select

from vidtrace.domain.search import (
    DEFAULT_DISTANCE,
    DEFAULT_LIMIT,
    SearchHit,
    SearchKind,
    SearchPlan,
    SearchResult,
    plan_search,
)
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import visible_cases
from vidtrace.store.models import Case, ClueRow, Media, MediaText, Occurrence, SeriesMember
from vidtrace.store.search_predicates import (
    CLUE_VALUE,
    MEDIA_TEXT,
    MOST_MATCHES,
    OCCURRENCE_PATH,
    SqlText,
    SubstringIndex,
    among,
    containing,
    pdq_candidates,
    starting_with,
)

SNIPPET = 60  # characters of recognised text shown on each side of the match
PDQ_DETAIL_BATCH = 500  # near hashes whose details and visibility are read at once
HASH_COLUMNS = {"md5": Media.md5, "sha1": Media.sha1, "sha256": Media.sha256}
CAMERA_FIELDS = (
    ("make", Media.camera_make),
    ("model", Media.camera_model),
    ("serial", Media.camera_serial),
)

Found = tuple[list[SearchHit], bool]  # the hits of one kind, and whether there are more
Cases = list[int] | None  # the cases the viewer may see; None: every case (administrators)


class SearchQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(
        self,
        viewer: Viewer,
        text: str,
        kind: SearchKind | str = SearchKind.AUTO,
        distance: int = DEFAULT_DISTANCE,
        limit: int = DEFAULT_LIMIT,
    ) -> SearchResult:
        """At most ``limit`` hits per kind searched, in the order of ``plan.kinds``: PDQ hits
        nearest first, the others as their index gives them. ``ValueError`` with a message for
        the analyst when the query cannot be searched as asked (``domain.search.plan_search``).
        """
        plan = plan_search(text, kind, distance, limit)
        hits: list[SearchHit] = []
        more: list[SearchKind] = []
        with self.engine.connect() as conn:
            # The ids, not a subquery: the planner then knows how few cases they are.
            cases = None if viewer.role == Role.ADMIN else list(conn.scalars(visible_cases(viewer)))
            searched_kinds = plan.kinds if cases != [] else ()  # no case to see, nothing to find
            for searched in searched_kinds:
                found, has_more = SEARCHES[searched](conn, cases, plan)
                hits += found
                if has_more:
                    more.append(searched)
        return SearchResult(plan.text, plan.kinds, plan.note, tuple(hits), tuple(more))


def _hashes(conn: Connection, cases: Cases, plan: SearchPlan) -> Found:
    assert plan.hash_field is not None
    column = HASH_COLUMNS[plan.hash_field]
    query = _media_query(cases).where(column == plan.text).order_by(Media.sha256)
    rows = conn.execute(query.limit(plan.limit + 1)).all()
    hits = [_hit(row, SearchKind.HASH, plan.hash_field, plan.text) for row in rows]
    return hits[: plan.limit], len(rows) > plan.limit


def _pdq(conn: Connection, cases: Cases, plan: SearchPlan) -> Found:
    candidates = conn.execute(
        select(Media.sha256, Media.pdq).where(pdq_candidates(Media.pdq, plan.text, plan.distance))
    ).all()
    query = int(plan.text, 16)
    near = sorted(
        (bits, sha256)
        for sha256, pdq in candidates
        if (bits := _pdq_distance(query, pdq)) is not None and bits <= plan.distance
    )
    hits: list[SearchHit] = []
    # Nearest first; details (and visibility) only for as many as are shown.
    for start in range(0, len(near), PDQ_DETAIL_BATCH):
        batch = near[start : start + PDQ_DETAIL_BATCH]
        keys = [sha256 for _, sha256 in batch]
        rows = {
            row.sha256: row
            for row in conn.execute(
                _media_query(cases, Media.pdq.label("value")).where(Media.sha256.in_(keys))
            )
        }
        hits += [
            _hit(rows[sha256], SearchKind.PDQ, "pdq", rows[sha256].value, distance=bits)
            for bits, sha256 in batch
            if sha256 in rows
        ]
        if len(hits) > plan.limit:
            break
    return hits[: plan.limit], len(hits) > plan.limit


def _pdq_distance(query: int, stored: str | None) -> int | None:
    try:
        return (query ^ int(stored or "", 16)).bit_count() if len(stored or "") == 64 else None
    except ValueError:  # not hex: a damaged row is no match
        return None


def _paths(conn: Connection, cases: Cases, plan: SearchPlan) -> Found:
    # The place itself must be in a visible case, not just the media item.
    in_visible_case = None if cases is None else Occurrence.case_id.in_(cases)
    ids = containing(conn, OCCURRENCE_PATH, plan.text, in_visible_case, _most(plan))
    if not ids:
        return [], False
    query = (
        select(*_media_columns(), Occurrence.path.label("value"), Case.name.label("case"))
        .select_from(Occurrence)
        .join(Media, Media.sha256 == Occurrence.media_sha256)
        .join(Case, Case.id == Occurrence.case_id)
        .outerjoin(SeriesMember, SeriesMember.media_sha256 == Occurrence.media_sha256)
        .where(among(conn, Occurrence.id, ids))
    )
    rows = conn.execute(query.limit(plan.limit + 1)).all()
    hits = [_hit(row, SearchKind.PATH, "path", row.value, case=row.case) for row in rows]
    return _bounded(hits, plan.limit)


def _cameras(conn: Connection, cases: Cases, plan: SearchPlan) -> Found:
    matches = [starting_with(conn, field, plan.text) for _, field in CAMERA_FIELDS]
    columns = [field.label(name) for name, field in CAMERA_FIELDS]
    query = _media_query(cases, *columns).where(or_(*matches))
    rows = conn.execute(query.limit(plan.limit + 1)).all()
    prefix = plan.text.lower()
    hits = []
    for row in rows:
        values = {name: getattr(row, name) for name, _ in CAMERA_FIELDS}
        matched = [
            name for name, value in values.items() if (value or "").lower().startswith(prefix)
        ]
        where = "camera " + ", ".join(matched or ["make, model or serial"])
        shown = [values["make"], values["model"]]
        if values["serial"]:
            shown.append(f"serial {values['serial']}")
        hits.append(_hit(row, SearchKind.CAMERA, where, " · ".join(v for v in shown if v)))
    return hits[: plan.limit], len(rows) > plan.limit


def _texts(conn: Connection, cases: Cases, plan: SearchPlan) -> Found:
    visible = _visible_media(cases, MediaText.media_sha256)
    ids = containing(conn, MEDIA_TEXT, plan.text, visible, _most(plan))
    if not ids:
        return [], False
    query = _rows_of(conn, MEDIA_TEXT, ids, MediaText.text.label("value"))
    rows = conn.execute(query.limit(plan.limit + 1)).all()
    hits = [_hit(row, SearchKind.TEXT, "ocr text", snippet(row.value, plan.text)) for row in rows]
    return _bounded(hits, plan.limit)


def _clues(conn: Connection, cases: Cases, plan: SearchPlan) -> Found:
    visible = _visible_media(cases, ClueRow.media_sha256)
    ids = containing(conn, CLUE_VALUE, plan.text, visible, _most(plan))
    if not ids:
        return [], False
    query = _rows_of(
        conn,
        CLUE_VALUE,
        ids,
        ClueRow.value.label("value"),
        ClueRow.kind.label("clue_kind"),
        ClueRow.status.label("status"),
    )
    rows = conn.execute(query.limit(plan.limit + 1)).all()
    hits = [
        _hit(row, SearchKind.CLUE, f"{row.clue_kind} clue ({row.status})", row.value)
        for row in rows
    ]
    return _bounded(hits, plan.limit)


SEARCHES: dict[SearchKind, Callable[[Connection, Cases, SearchPlan], Found]] = {
    SearchKind.HASH: _hashes,
    SearchKind.PDQ: _pdq,
    SearchKind.PATH: _paths,
    SearchKind.CAMERA: _cameras,
    SearchKind.TEXT: _texts,
    SearchKind.CLUE: _clues,
}


def _media_columns() -> tuple[SqlText, ...]:
    return (
        Media.sha256,
        Media.kind,
        Media.precategorised,
        Media.known_good,
        SeriesMember.series_id,
    )


def _visible_media(cases: Cases, media: SqlText = Media.sha256) -> ColumnElement[bool] | None:
    """The condition that ``media`` was found in one of ``cases``; None for every case."""
    if cases is None:
        return None
    return exists().where(Occurrence.media_sha256 == media, Occurrence.case_id.in_(cases))


def _media_select(*extra: SqlText) -> Select[Any]:
    """Media with their series."""
    return select(*_media_columns(), *extra).outerjoin(
        SeriesMember, SeriesMember.media_sha256 == Media.sha256
    )


def _media_query(cases: Cases, *extra: SqlText) -> Select[Any]:
    """Media with their series, limited to those found in ``cases``."""
    visible = _visible_media(cases)
    query = _media_select(*extra)
    return query if visible is None else query.where(visible)


def _rows_of(
    conn: Connection, index: SubstringIndex, ids: list[int], *extra: SqlText
) -> Select[Any]:
    """Rows ``ids`` of ``index``'s table (visible: ``containing`` checked), with their media."""
    return (
        _media_select(*extra)
        .join(index.model, index.media_column == Media.sha256)
        .where(among(conn, index.id_column, ids))
    )


def _most(plan: SearchPlan) -> int:
    """How many visible matches of a substring to read: a page and one more at least."""
    return max(MOST_MATCHES, plan.limit + 1)


def _bounded(hits: list[SearchHit], limit: int) -> Found:
    """The first ``limit`` hits, and whether there are more."""
    return hits[:limit], len(hits) > limit


def _hit(
    row: Any,
    match: SearchKind,
    where: str,
    value: str,
    distance: int | None = None,
    case: str | None = None,
) -> SearchHit:
    return SearchHit(
        media=row.sha256,
        media_kind=row.kind,
        match=match,
        where=where,
        value=value,
        series=row.series_id,
        known=bool(row.precategorised),
        known_good=bool(row.known_good),
        distance=distance,
        case=case,
    )


def snippet(text: str, words: str, around: int = SNIPPET) -> str:
    """The part of ``text`` around the first ``words`` (any case), with "…" where cut."""
    at = max(text.lower().find(words.lower()), 0)
    start, end = max(at - around, 0), min(at + len(words) + around, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
