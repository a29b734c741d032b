"""Tips from the public: stored once per idempotency key, numbered by ``seq`` (the sync
cursor), flagged with spam signs, handed to the workbench in ``seq`` order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select, update

from vidtrace.portal import spam
from vidtrace.portal.store import PortalDatabase, as_utc, tips, utcnow

FORGET_EVERY_S = 600.0  # how often the portal clears expired address hashes


@dataclass(frozen=True)
class TipSubmission:
    """A tip as the form sent it, checked (tip_form.py). ``client_hash`` is the salted hash of
    the sender's address: the address itself is never stored."""

    idempotency_key: str
    object: str
    text: str
    country: str | None
    place: str | None
    email: str | None
    language: str
    client_hash: str
    honeypot: bool = False


@dataclass(frozen=True)
class StoredTip:
    seq: int
    object: str
    text: str
    country: str | None
    place: str | None
    email: str | None
    language: str
    received_at: datetime
    spam_signs: tuple[str, ...]


class TipStore:
    def __init__(self, database: PortalDatabase, address_hash_hours: int) -> None:
        self.database = database
        self.keep_hashes = timedelta(hours=address_hash_hours)

    def has(self, idempotency_key: str) -> bool:
        with self.database.read() as connection:
            found = connection.execute(
                select(tips.c.seq).where(tips.c.idempotency_key == idempotency_key)
            ).first()
        return found is not None

    def add(self, tip: TipSubmission) -> bool:
        """Store ``tip``, committed before this returns; False if its key was stored before
        (a retry), in which case nothing changes."""
        digest = spam.text_hash(tip.text)
        with self.database.write() as connection:
            if connection.execute(
                select(tips.c.seq).where(tips.c.idempotency_key == tip.idempotency_key)
            ).first():
                return False
            connection.execute(
                insert(tips).values(
                    idempotency_key=tip.idempotency_key,
                    object=tip.object,
                    text=tip.text,
                    country=tip.country,
                    place=tip.place,
                    email=tip.email,
                    language=tip.language,
                    received_at=utcnow(),
                    spam_signs=self._signs(connection, tip, digest),
                    honeypot=tip.honeypot,
                    text_hash=digest,
                    client_hash=tip.client_hash,
                )
            )
        return True

    def _signs(self, connection: Connection, tip: TipSubmission, digest: str) -> list[str]:
        signs = [spam.HONEYPOT] if tip.honeypot else []
        signs.extend(spam.signs_of_text(tip.text))
        same_text = select(tips.c.seq).where(tips.c.text_hash == digest).limit(1)
        if connection.execute(same_text.where(tips.c.client_hash == tip.client_hash)).first():
            signs.append(spam.REPEAT)
        if connection.execute(same_text.where(tips.c.object != tip.object)).first():
            signs.append(spam.MANY_OBJECTS)
        return signs

    def forget_old_addresses(self) -> int:
        """Clear the address hashes that will pass their time before the next round
        (``FORGET_EVERY_S``): none is kept longer than the privacy notice says. How many."""
        cutoff = utcnow() - self.keep_hashes + timedelta(seconds=FORGET_EVERY_S)
        with self.database.write() as connection:
            cleared: int = connection.execute(
                update(tips)
                .where(tips.c.client_hash.is_not(None), tips.c.received_at < cutoff)
                .values(client_hash=None)
            ).rowcount
        return cleared

    def after(self, seq: int, limit: int) -> list[StoredTip]:
        """Tips numbered above ``seq``, in ``seq`` order, at most ``limit``."""
        with self.database.read() as connection:
            rows = connection.execute(
                select(tips).where(tips.c.seq > seq).order_by(tips.c.seq).limit(limit)
            ).all()
        return [
            StoredTip(
                seq=row.seq,
                object=row.object,
                text=row.text,
                country=row.country,
                place=row.place,
                email=row.email,
                language=row.language,
                received_at=as_utc(row.received_at),
                spam_signs=tuple(row.spam_signs),
            )
            for row in rows
        ]

    def count_received(self) -> int:
        """Tips received, robots caught by the honeypot left out."""
        with self.database.read() as connection:
            found: int = connection.execute(
                select(func.count()).select_from(tips).where(tips.c.honeypot.is_(False))
            ).scalar_one()
        return found
