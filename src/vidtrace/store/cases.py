"""Cases, agencies and evidence sources."""

from __future__ import annotations

from sqlalchemy import Engine, select, update

from vidtrace.store.models import Agency, Case, Source
from vidtrace.store.upsert import insert_ignore


class CaseRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def ensure_case(self, name: str, agency: str | None = None, country: str | None = None) -> int:
        """The id of case ``name``, created (with its agency) on first use. ``country`` (ISO
        3166-1 alpha-2) is the agency's, recorded when given."""
        with self.engine.begin() as conn:
            agency_id = None
            if agency:
                insert_ignore(conn, Agency.__table__, [{"name": agency}], ["name"])  # type: ignore[arg-type]
                agency_id = conn.scalar(select(Agency.id).where(Agency.name == agency))
                if country:
                    conn.execute(
                        update(Agency).where(Agency.id == agency_id).values(country=country)
                    )
            insert_ignore(
                conn,
                Case.__table__,  # type: ignore[arg-type]
                [{"name": name, "agency_id": agency_id}],
                ["name"],
            )
            case_id = conn.scalar(select(Case.id).where(Case.name == name))
            assert case_id is not None
            return case_id

    def ensure_source(self, case_id: int, root_path: str, kind: str) -> int:
        with self.engine.begin() as conn:
            insert_ignore(
                conn,
                Source.__table__,  # type: ignore[arg-type]
                [{"case_id": case_id, "root_path": root_path, "kind": kind}],
                ["case_id", "root_path"],
            )
            source_id = conn.scalar(
                select(Source.id).where(Source.case_id == case_id, Source.root_path == root_path)
            )
            assert source_id is not None
            return source_id

    def find_case(self, name: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.scalar(select(Case.id).where(Case.name == name))
