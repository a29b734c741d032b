"""Published objects: what the sync API puts and withdraws, what the gallery shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from vidtrace.portal.store import PortalDatabase, as_utc, objects, to_stored, utcnow

GALLERY_PAGE = 24


@dataclass(frozen=True)
class ObjectUpload:
    """An object as the workbench sends it, already checked (sync_api.py)."""

    public_id: str
    title: str
    description: str
    questions: tuple[str, ...]
    category: str
    image_webp: bytes
    published_at: datetime


@dataclass(frozen=True)
class ShownObject:
    """A published object as the public sees it (its image is fetched on its own)."""

    public_id: str
    title: str
    description: str
    questions: tuple[str, ...]
    category: str
    published_at: datetime


SHOWN = (
    objects.c.public_id,
    objects.c.title,
    objects.c.description,
    objects.c.questions,
    objects.c.category,
    objects.c.published_at,
)
PUBLISHED = objects.c.withdrawn_at.is_(None)


def _shown(row: Any) -> ShownObject:  # a Row of SHOWN's columns
    return ShownObject(
        public_id=row.public_id,
        title=row.title,
        description=row.description,
        questions=tuple(row.questions),
        category=row.category,
        published_at=as_utc(row.published_at),
    )


class ObjectStore:
    def __init__(self, database: PortalDatabase) -> None:
        self.database = database

    def put(self, upload: ObjectUpload) -> None:
        """Publish, or replace what was published under this id (a second PUT wins)."""
        values = {
            "title": upload.title,
            "description": upload.description,
            "questions": list(upload.questions),
            "category": upload.category,
            "image": upload.image_webp,
            "published_at": to_stored(upload.published_at),
            "updated_at": utcnow(),
            "withdrawn_at": None,
        }
        with self.database.write() as connection:
            changed = connection.execute(
                update(objects).where(objects.c.public_id == upload.public_id).values(values)
            ).rowcount
            if not changed:
                connection.execute(insert(objects).values(public_id=upload.public_id, **values))

    def withdraw(self, public_id: str) -> None:
        """Take it off the site and delete its image; its tips stay. Nothing if unknown."""
        now = utcnow()
        with self.database.write() as connection:
            connection.execute(
                update(objects)
                .where(objects.c.public_id == public_id, PUBLISHED)
                .values(image=None, withdrawn_at=now, updated_at=now)
            )

    def gallery(self, category: str | None, page: int) -> tuple[list[ShownObject], int]:
        """One page of published objects, newest first, and how many there are in all."""
        chosen = [PUBLISHED] + ([objects.c.category == category] if category else [])
        with self.database.read() as connection:
            total = connection.execute(
                select(func.count()).select_from(objects).where(*chosen)
            ).scalar_one()
            rows = connection.execute(
                select(*SHOWN)
                .where(*chosen)
                .order_by(objects.c.published_at.desc(), objects.c.public_id)
                .limit(GALLERY_PAGE)
                .offset((page - 1) * GALLERY_PAGE)
            ).all()
        return [_shown(row) for row in rows], total

    def published(self, public_id: str) -> ShownObject | None:
        with self.database.read() as connection:
            row = connection.execute(
                select(*SHOWN).where(objects.c.public_id == public_id, PUBLISHED)
            ).first()
        return _shown(row) if row else None

    def image(self, public_id: str) -> bytes | None:
        with self.database.read() as connection:
            found: bytes | None = connection.execute(
                select(objects.c.image).where(objects.c.public_id == public_id, PUBLISHED)
            ).scalar_one_or_none()
        return found

    def count_published(self) -> int:
        with self.database.read() as connection:
            found: int = connection.execute(
                select(func.count()).select_from(objects).where(PUBLISHED)
            ).scalar_one()
        return found
