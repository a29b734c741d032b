"""Who sees what, on both databases: own agency, other agencies hidden, cases shared through an
operation, admins everything; sharing changes are audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, insert

from tests.kit.workbench import add_media, sha
from vidtrace.config import Settings
from vidtrace.domain.viewer import Role, Viewer
from vidtrace.store.access import (
    Sharing,
    SharingError,
    media_visible,
    series_visible,
    visible_cases,
)
from vidtrace.store.audit import audit_trail
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.models import Agency, Case, Source


@pytest.fixture
def world(settings: Settings) -> dict[str, Any]:
    """Three agencies with one case each; case n holds media n, alone in series n."""
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)
    ids: dict[str, Any] = {"engine": engine}
    with engine.begin() as conn:
        for n, code in enumerate(["NL", "DE", "FR"], start=1):
            conn.execute(insert(Agency).values(id=n, name=f"Agency {code}", country=code))
            conn.execute(insert(Case).values(id=n, name=f"case-{code.lower()}", agency_id=n))
            conn.execute(insert(Source).values(case_id=n, root_path=f"/ev/{n}", kind="folder"))
            ids[code] = n
    for n in (1, 2, 3):
        add_media(engine, n, n, series_id=n)
    return ids


def analyst(agency_id: int | None, name: str = "anna") -> Viewer:
    return Viewer(user_id=1, name=name, role=Role.ANALYST, agency_id=agency_id)


ADMIN = Viewer(user_id=9, name="root", role=Role.ADMIN, agency_id=None)


def seen(engine: Engine, viewer: Viewer) -> tuple[set[int], set[int], set[int]]:
    """The cases, series (of 1..3, and 99 that does not exist) and media the viewer sees."""
    with engine.connect() as conn:
        cases = set(conn.scalars(visible_cases(viewer)))
        series = {n for n in (1, 2, 3, 99) if series_visible(conn, viewer, n)}
        media = {n for n in (1, 2, 3, 99) if media_visible(conn, viewer, sha(n))}
    return cases, series, media


def test_an_analyst_sees_only_their_agency(world: dict[str, Any]) -> None:
    engine = world["engine"]
    assert seen(engine, analyst(world["NL"])) == ({1}, {1}, {1})
    assert seen(engine, analyst(world["DE"])) == ({2}, {2}, {2})
    assert seen(engine, analyst(None)) == (set(), set(), set()), "no agency, nothing to see"


def test_admins_see_everything_that_exists(world: dict[str, Any]) -> None:
    assert seen(world["engine"], ADMIN) == ({1, 2, 3}, {1, 2, 3}, {1, 2, 3})


def test_a_series_is_visible_through_any_member(world: dict[str, Any]) -> None:
    engine = world["engine"]
    add_media(engine, world["NL"], 10, series_id=2)  # NL seized a member of DE's series
    assert seen(engine, analyst(world["NL"])) == ({1}, {1, 2}, {1})
    with engine.connect() as conn:
        assert media_visible(conn, analyst(world["NL"]), sha(10))
        assert not media_visible(conn, analyst(world["DE"]), sha(10))


def test_a_case_shared_with_an_operation_is_seen_by_its_agencies(world: dict[str, Any]) -> None:
    engine, sharing = world["engine"], Sharing(world["engine"])
    operation_id = sharing.add_operation("Op Sunrise", "root")
    assert sharing.add_operation("Op Sunrise", "root") == operation_id, "idempotent"
    sharing.join("Op Sunrise", "Agency NL", "root")
    sharing.share_case("case-de", "Op Sunrise", "root")

    assert seen(engine, analyst(world["NL"])) == ({1, 2}, {1, 2}, {1, 2})
    assert seen(engine, analyst(world["DE"])) == ({2}, {2}, {2}), "DE is not in the operation"
    assert seen(engine, analyst(world["FR"])) == ({3}, {3}, {3})

    sharing.join("Op Sunrise", "Agency DE", "root")
    assert seen(engine, analyst(world["DE"])) == ({2}, {2}, {2}), "case-nl was not shared"
    sharing.share_case("case-nl", "Op Sunrise", "root")
    assert seen(engine, analyst(world["DE"])) == ({1, 2}, {1, 2}, {1, 2})


def test_sharing_is_audited_once_and_checks_names(world: dict[str, Any]) -> None:
    engine, sharing = world["engine"], Sharing(world["engine"])
    operation_id = sharing.add_operation("Op Sunrise", "root")
    for _ in range(2):
        sharing.join("Op Sunrise", "Agency NL", "root")
        sharing.share_case("case-de", "Op Sunrise", "root")
    trail = audit_trail(engine, "operation", operation_id)
    assert [(e["actor"], e["action"], e["detail"]) for e in trail] == [
        ("root", "operation.add", {"name": "Op Sunrise"}),
        ("root", "operation.join", {"agency": "Agency NL"}),
    ]
    shared = audit_trail(engine, "case", world["DE"])
    assert [(e["action"], e["detail"]) for e in shared] == [
        ("case.share", {"operation": "Op Sunrise"})
    ]
    with pytest.raises(SharingError, match="no operation Op Dusk"):
        sharing.join("Op Dusk", "Agency NL", "root")
    with pytest.raises(SharingError, match="no agency Agency XX"):
        sharing.join("Op Sunrise", "Agency XX", "root")
    with pytest.raises(SharingError, match="no case case-xx"):
        sharing.share_case("case-xx", "Op Sunrise", "root")
    with pytest.raises(SharingError):
        sharing.add_operation("  ", "root")
