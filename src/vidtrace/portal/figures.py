"""The outcome figures the workbench's admins enter, shown on the statistics page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select

from vidtrace.portal.store import PortalDatabase, as_utc, figures, utcnow


@dataclass(frozen=True)
class OutcomeFigures:
    countries_narrowed: int
    children_identified: int
    offenders_prosecuted: int
    updated_at: datetime | None = None  # None: never set


class FigureStore:
    def __init__(self, database: PortalDatabase) -> None:
        self.database = database

    def set(self, countries_narrowed: int, children_identified: int, offenders: int) -> None:
        with self.database.write() as connection:
            connection.execute(delete(figures))
            connection.execute(
                insert(figures).values(
                    id=1,
                    countries_narrowed=countries_narrowed,
                    children_identified=children_identified,
                    offenders_prosecuted=offenders,
                    updated_at=utcnow(),
                )
            )

    def current(self) -> OutcomeFigures:
        with self.database.read() as connection:
            row = connection.execute(select(figures).where(figures.c.id == 1)).first()
        if row is None:
            return OutcomeFigures(0, 0, 0)
        return OutcomeFigures(
            row.countries_narrowed,
            row.children_identified,
            row.offenders_prosecuted,
            as_utc(row.updated_at),
        )
