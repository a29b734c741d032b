"""The single wiring place: which database, vault and executor are in use.

Model: cosmicpython's bootstrap.py. Entry points (CLI, later the web apps) call ``bootstrap`` and
hand each service only the slice of storage it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from vidtrace.config import Settings
from vidtrace.ingest.progress import Progress
from vidtrace.ingest.runner import IngestRunner
from vidtrace.store.database import make_engine, upgrade_schema
from vidtrace.store.media_queries import MediaQueries
from vidtrace.store.vault import Vault


@dataclass
class App:
    settings: Settings
    engine: Engine
    vault: Vault

    def ingest_runner(self, progress: Progress | None = None) -> IngestRunner:
        return IngestRunner(self.settings, self.engine, progress)

    def media(self) -> MediaQueries:
        return MediaQueries(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings) -> App:
    """Create the workspace, open the database and bring its schema up to date."""
    settings.workspace.mkdir(parents=True, exist_ok=True)
    settings.vault_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    upgrade_schema(engine)
    return App(settings, engine, Vault(settings.vault_dir))
