"""Browsing the audit log on both databases: filters, time range, newest first, paging, the
streamed CSV export (formula cells neutralised) and the ``vidtrace audit`` command."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, update

from vidtrace.cli_audit import add_audit_commands
from vidtrace.config import Settings
from vidtrace.store.audit import record_audit
from vidtrace.store.audit_queries import AuditFilters, AuditQueries, audit_csv
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.models import AuditEvent

LAST_WEEK = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    """Seven events: five by anna (Agency NL), one by dirk (Agency DE), one failed login; the
    first is dated a week earlier than the others."""
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    events = [
        ("anna", "Agency NL", "login", "user", 1),
        ("anna", "Agency NL", "reveal", "media", "aa" * 32),
        ("anna", "Agency NL", "view", "media", "aa" * 32),
        ("dirk", "Agency DE", "view", "media", "bb" * 32),
        ("anna", "Agency NL", "set-status", "series", 7),
        ("=HYPERLINK(1)", None, "login-failed", "user", "=HYPERLINK(1)"),
        ("anna", "Agency NL", "download", "media", "aa" * 32),
    ]
    with engine.begin() as conn:
        for actor, agency, action, kind, key in events:
            record_audit(conn, actor, action, kind, key, {"n": 1}, agency=agency, client="10.0.0.1")
        conn.execute(update(AuditEvent).where(AuditEvent.id == 1).values(at=LAST_WEEK))
    return engine


def test_newest_first_with_exact_filters(engine: Engine) -> None:
    queries = AuditQueries(engine)
    everything = queries.browse(AuditFilters())
    assert everything.total == 7
    assert [e["action"] for e in everything.rows][:2] == ["download", "login-failed"]
    assert [e["id"] for e in everything.rows] == sorted(
        (e["id"] for e in everything.rows), reverse=True
    )
    first = everything.rows[-1]
    assert first["at"] == LAST_WEEK.isoformat() and first["client"] == "10.0.0.1"
    assert first["detail"] == {"n": 1} and first["agency"] == "Agency NL"

    assert queries.browse(AuditFilters(actor="anna")).total == 5
    assert queries.browse(AuditFilters(agency="Agency DE")).rows[0]["actor"] == "dirk"
    views = queries.browse(AuditFilters(action="view", object_type="media"))
    assert {e["actor"] for e in views.rows} == {"anna", "dirk"}
    one_item = queries.browse(AuditFilters(object_type="media", object_id="aa" * 32))
    assert [e["action"] for e in one_item.rows] == ["download", "view", "reveal"]
    assert queries.browse(AuditFilters(actor="nobody")).rows == []


def test_time_range_and_paging(engine: Engine) -> None:
    queries = AuditQueries(engine)
    week_after = LAST_WEEK + timedelta(days=1)
    assert queries.browse(AuditFilters(until=week_after)).total == 1
    assert queries.browse(AuditFilters(since=week_after)).total == 6
    naive = LAST_WEEK.replace(tzinfo=None)  # taken as UTC
    assert queries.browse(AuditFilters(since=naive, until=naive + timedelta(seconds=1))).total == 1

    pages = [queries.browse(AuditFilters(), page, 3) for page in (1, 2, 3)]
    assert [len(p.rows) for p in pages] == [3, 3, 1] and pages[0].last_page == 3
    ids = [e["id"] for p in pages for e in p.rows]
    assert len(set(ids)) == 7
    with pytest.raises(ValueError):
        queries.browse(AuditFilters(), 0, 3)


def test_stream_reads_in_batches_and_stops_at_its_start(engine: Engine) -> None:
    queries = AuditQueries(engine)
    stream = queries.stream(AuditFilters(), batch=2)
    first = next(stream)
    with engine.begin() as conn:  # logged while the export runs: not part of it
        record_audit(conn, "anna", "export-audit", "audit", "csv")
    rest = list(stream)
    assert [first["id"], *(e["id"] for e in rest)] == list(range(7, 0, -1))
    only_anna = list(queries.stream(AuditFilters(actor="anna", since=LAST_WEEK), batch=2))
    assert len(only_anna) == 6  # five events and the export record


def test_csv_export_has_every_column_and_no_formulas(engine: Engine) -> None:
    text = "".join(audit_csv(AuditQueries(engine).stream(AuditFilters())))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    assert list(rows[0]) == [
        "id", "at", "actor", "agency", "action", "object_type", "object_id", "client", "detail"
    ]  # fmt: skip
    failed = rows[1]
    assert failed["action"] == "login-failed"
    assert failed["actor"] == "'=HYPERLINK(1)" and failed["object_id"] == "'=HYPERLINK(1)"
    assert json.loads(rows[0]["detail"]) == {"n": 1} and rows[0]["agency"] == "Agency NL"


def test_cli_lists_newest_first_as_json(
    engine: Engine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("VIDTRACE_DATABASE_URL", settings.database_url)
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace")
    add_audit_commands(parser.add_subparsers(dest="command"))
    workspace = str(settings.workspace)

    args = parser.parse_args(
        ["--workspace", workspace, "audit", "--json", "--actor", "anna", "--limit", "2"]
    )
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    listed = json.loads(out)
    assert [e["action"] for e in listed] == ["download", "set-status"] and "2 of 5" in err

    args = parser.parse_args(["--workspace", workspace, "audit", "--action", "view"])
    assert args.func(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "dirk" in lines[0] and "anna" in lines[1]
    with pytest.raises(SystemExit):
        parser.parse_args(["audit", "--limit", "0"])
