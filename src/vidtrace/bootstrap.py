"""The single wiring place: which database, vault, indexes and executor are in use.

Model: cosmicpython's bootstrap.py. Entry points (CLI, later the web apps) call ``bootstrap`` and
hand each service only the slice of storage it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from vidtrace.clues.assessment import CountryAssessor
from vidtrace.config import Settings
from vidtrace.ingest.progress import Progress
from vidtrace.ingest.runner import IngestRunner
from vidtrace.matching.bank_import import BankImporter
from vidtrace.matching.bank_index import BankPdqIndex
from vidtrace.matching.matcher import Matcher
from vidtrace.series.grouper import SeriesGrouper
from vidtrace.series.linkers import linkers
from vidtrace.store.access import Sharing
from vidtrace.store.banks import BankRepository
from vidtrace.store.clue_queries import ClueQueries
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.clue_store import ClueStore
from vidtrace.store.country_decisions import CountryDecisions
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.links import LinkRepository
from vidtrace.store.matches import MatchRepository
from vidtrace.store.media_queries import MediaQueries
from vidtrace.store.overlap_queries import OverlapQueries
from vidtrace.store.series_edits import SeriesEdits
from vidtrace.store.series_queries import SeriesQueries
from vidtrace.store.series_store import SeriesStore
from vidtrace.store.series_workflow import SeriesWorkflow
from vidtrace.store.thumbnails import VaultThumbnails
from vidtrace.store.triage_queries import TriageQueries
from vidtrace.store.users import UserStore
from vidtrace.store.vault import Vault

if TYPE_CHECKING:
    from vidtrace.clues.runner import ClueRunner


@dataclass
class App:
    settings: Settings
    engine: Engine
    vault: Vault
    _bank_index: BankPdqIndex | None = field(default=None, repr=False)

    def banks(self) -> BankRepository:
        return BankRepository(self.engine)

    def bank_index(self) -> BankPdqIndex:
        if self._bank_index is None:
            self._bank_index = BankPdqIndex(self.settings.index_dir / "bank-pdq", self.banks())
        return self._bank_index

    def importer(self) -> BankImporter:
        return BankImporter(self.engine, self.banks(), self.bank_index())

    def matcher(self) -> Matcher:
        return Matcher(self.engine, self.banks(), MatchRepository(self.engine), self.bank_index())

    def ingest_runner(self, progress: Progress | None = None) -> IngestRunner:
        return IngestRunner(self.settings, self.engine, progress, self.matcher())

    def media(self) -> MediaQueries:
        return MediaQueries(self.engine)

    def grouper(self, linker_names: Sequence[str] | None = None) -> SeriesGrouper:
        """A grouping run with the named linkers (every registered one by default)."""
        names = linker_names if linker_names is not None else linkers.names()
        return SeriesGrouper(
            self.engine,
            LinkRepository(self.engine),
            SeriesStore(self.engine),
            VaultThumbnails(self.engine, self.vault),
            self.settings.index_dir / "linkers",
            [linkers.get(name)() for name in names],
        )

    def series(self) -> SeriesQueries:
        return SeriesQueries(self.engine)

    def series_edits(self) -> SeriesEdits:
        return SeriesEdits(self.engine)

    def overlaps(self) -> OverlapQueries:
        return OverlapQueries(self.engine)

    def clue_runner(
        self, workers: int | None = None, background: bool = True, include_known: bool = False
    ) -> ClueRunner:
        # Imported here: the extractors load OCR, geocoding and barcode libraries, which every
        # other command would otherwise pay for at start-up.
        from vidtrace.clues.runner import ClueRunner

        return ClueRunner(
            ClueStore(self.engine, self.vault, include_known),
            self.settings.limits,
            workers or self.settings.workers,
            background=background,
        )

    def clue_queries(self) -> ClueQueries:
        return ClueQueries(self.engine)

    def clue_reviews(self) -> ClueReviews:
        return ClueReviews(self.engine)

    def country_decisions(self) -> CountryDecisions:
        return CountryDecisions(self.engine)

    def country_assessor(self) -> CountryAssessor:
        return CountryAssessor(self.clue_queries(), self.country_decisions())

    def users(self) -> UserStore:
        return UserStore(self.engine)

    def sharing(self) -> Sharing:
        return Sharing(self.engine)

    def series_workflow(self) -> SeriesWorkflow:
        return SeriesWorkflow(self.engine)

    def triage(self) -> TriageQueries:
        return TriageQueries(self.engine)

    def close(self) -> None:
        if self._bank_index is not None:
            self._bank_index.close()
        self.engine.dispose()


def bootstrap(settings: Settings) -> App:
    """Create the workspace, open the database and bring its schema up to date."""
    settings.workspace.mkdir(parents=True, exist_ok=True)
    settings.vault_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    return App(settings, engine, Vault(settings.vault_dir))
