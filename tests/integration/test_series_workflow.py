"""The series workflow on both databases: status rule, bulk assignment, notes, every change
audited, and a series the viewer may not see refused like a missing one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, update

from tests.kit.workbench import add_media
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.audit import audit_trail
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.models import Agency, Case, Series, Source, User
from vidtrace.store.series_workflow import STATUSES, SeriesWorkflow, WorkflowError

ANNA = Viewer(user_id=1, name="anna", role=Role.ANALYST, agency_id=1, agency="Agency NL")
DIRK = Viewer(user_id=2, name="dirk", role=Role.ANALYST, agency_id=2, agency="Agency DE")
ADMIN = Viewer(user_id=9, name="root", role=Role.ADMIN, agency_id=None)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    """Series 1 and 2 in NL's case, series 3 in DE's; users anna, bob, and disabled carl."""
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    with engine.begin() as conn:
        for n, code in ((1, "NL"), (2, "DE")):
            conn.execute(insert(Agency).values(id=n, name=f"Agency {code}"))
            conn.execute(insert(Case).values(id=n, name=f"case-{code.lower()}", agency_id=n))
            conn.execute(insert(Source).values(case_id=n, root_path=f"/ev/{n}", kind="folder"))
        for name, disabled in (("anna", False), ("bob", False), ("carl", True)):
            conn.execute(
                insert(User).values(
                    name=name, password_hash="-", role="analyst", agency_id=1, disabled=disabled
                )
            )
    for n, case_id in ((1, 1), (2, 1), (3, 2)):
        add_media(engine, case_id, n, series_id=n)
    return engine


def status_of(engine: Engine, series_id: int) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(Series).where(Series.id == series_id)).one()


def test_status_moves_one_step_and_each_move_is_audited(engine: Engine) -> None:
    flow = SeriesWorkflow(engine)
    flow.set_status(ANNA, 1, "in-analysis")
    flow.set_status(ANNA, 1, "new")  # one step back: undo
    flow.set_status(ANNA, 1, "in-analysis")
    flow.set_status(ANNA, 1, "in-analysis")  # already there: nothing recorded
    flow.set_status(ANNA, 1, "country-identified")
    flow.set_status(ANNA, 1, "closed")  # the export shortcut
    flow.set_status(ANNA, 1, "victim-identified")  # one step back from closed
    row = status_of(engine, 1)
    assert row.status == "victim-identified" and row.last_activity is not None
    trail = audit_trail(engine, "series", 1)
    assert [(e["action"], e["detail"]["from"], e["detail"]["to"]) for e in trail] == [
        ("series.status", "new", "in-analysis"),
        ("series.status", "in-analysis", "new"),
        ("series.status", "new", "in-analysis"),
        ("series.status", "in-analysis", "country-identified"),
        ("series.status", "country-identified", "closed"),
        ("series.status", "closed", "victim-identified"),
    ]
    assert {e["actor"] for e in trail} == {"anna"}


JUMPS = [
    ("new", "closed"),
    ("new", "country-identified"),
    ("in-analysis", "victim-identified"),
    ("victim-identified", "in-analysis"),
    ("closed", "new"),
]


def test_jumps_that_skip_steps_are_refused(engine: Engine) -> None:
    for start, wanted in JUMPS:
        with engine.begin() as conn:
            conn.execute(update(Series).where(Series.id == 1).values(status=start))
        with pytest.raises(WorkflowError, match=f"is {start}; it cannot go to {wanted}"):
            SeriesWorkflow(engine).set_status(ANNA, 1, wanted)
        assert status_of(engine, 1).status == start
    assert audit_trail(engine, "series", 1) == []


def test_unknown_status_is_refused(engine: Engine) -> None:
    with pytest.raises(WorkflowError, match="unknown status 'exported'"):
        SeriesWorkflow(engine).set_status(ANNA, 1, "exported")
    assert STATUSES[0] == "new" and STATUSES[-1] == "closed"


def test_bulk_assignment_counts_changes_and_audits_each(engine: Engine) -> None:
    flow = SeriesWorkflow(engine)
    assert flow.assign(ANNA, [1, 2, 1], "bob") == 2
    assert flow.assign(ANNA, [1, 2], "bob") == 0, "nothing changed, nothing recorded"
    assert flow.assign(ANNA, [2], "anna") == 1
    assert flow.assign(ANNA, [1, 2], None) == 2
    assert status_of(engine, 1).assignee is None
    assert [e["detail"] for e in audit_trail(engine, "series", 2)] == [
        {"from": None, "to": "bob"},
        {"from": "bob", "to": "anna"},
        {"from": "anna", "to": None},
    ]
    assert {e["action"] for e in audit_trail(engine, "series", 1)} == {"series.assign"}


def test_assignment_is_all_or_nothing(engine: Engine) -> None:
    flow = SeriesWorkflow(engine)
    with pytest.raises(WorkflowError, match="no series 3"):
        flow.assign(ANNA, [1, 3], "bob")  # 3 belongs to DE
    with pytest.raises(WorkflowError, match="no user zoe"):
        flow.assign(ANNA, [1], "zoe")
    with pytest.raises(WorkflowError, match="no user carl"):
        flow.assign(ANNA, [1], "carl")  # disabled
    assert status_of(engine, 1).assignee is None
    assert audit_trail(engine, "series", 1) == []


def test_notes_round_trip_as_given(engine: Engine) -> None:
    flow = SeriesWorkflow(engine)
    html = '<script>alert("x")</script> & <b>wallpaper</b> matches "Hotel Lumière"'
    first = flow.add_note(ANNA, 1, html)
    second = flow.add_note(ADMIN, 1, "x" * 10_000)
    notes = flow.notes(1)
    assert [(n["id"], n["author"], n["text"]) for n in notes] == [
        (first, "anna", html),
        (second, "root", "x" * 10_000),
    ]
    assert flow.notes(2) == []
    assert [e["detail"] for e in audit_trail(engine, "series", 1)] == [
        {"note": first},
        {"note": second},
    ]
    for bad, reason in (("", "empty"), ("  \n", "empty"), ("x" * 10_001, "at most 10,000")):
        with pytest.raises(WorkflowError, match=reason):
            flow.add_note(ANNA, 1, bad)
    assert len(flow.notes(1, ANNA)) == 2


def test_an_invisible_series_behaves_like_a_missing_one(engine: Engine) -> None:
    flow = SeriesWorkflow(engine)
    for series_id in (3, 999):  # DE's series, and one that does not exist
        message = f"^no series {series_id}$"
        with pytest.raises(WorkflowError, match=message):
            flow.set_status(ANNA, series_id, "in-analysis")
        with pytest.raises(WorkflowError, match=message):
            flow.assign(ANNA, [series_id], "bob")
        with pytest.raises(WorkflowError, match=message):
            flow.add_note(ANNA, series_id, "hello")
        with pytest.raises(WorkflowError, match=message):
            flow.notes(series_id, ANNA)
    flow.set_status(DIRK, 3, "in-analysis")
    assert status_of(engine, 3).status == "in-analysis"
    assert audit_trail(engine, "series", 3)[0]["actor"] == "dirk"


def test_a_merged_series_takes_no_changes(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(update(Series).where(Series.id == 2).values(merged_into=1))
    with pytest.raises(WorkflowError, match="series 2 was merged into series 1"):
        SeriesWorkflow(engine).set_status(ADMIN, 2, "in-analysis")
