"""The workbench's side of the portal sync contract (docs/decisions/008): publish and withdraw
objects, pull tips, send the outcome figures. The portal never calls us; we call it."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

TIMEOUT_S = 10.0
MOST_TIPS = 1_000


class PortalError(RuntimeError):
    """The portal could not be reached or refused the call; the message says which."""


@dataclass(frozen=True)
class PublicObject:
    """What the portal receives of a published object: nothing else leaves."""

    public_id: str
    title: str
    description: str
    questions: tuple[str, ...]
    category: str
    image_webp: bytes  # the sanitised rendering
    published_at: datetime


@dataclass(frozen=True)
class PortalTip:
    seq: int
    object: str  # the object's public id
    text: str
    country: str | None
    place: str | None
    email: str | None
    language: str | None
    received_at: datetime
    spam_signs: tuple[str, ...]


class PortalClient:
    def __init__(self, url: str, token: str | None, transport: httpx.BaseTransport | None = None):
        if not token:
            raise PortalError("no portal token: set VIDTRACE_PORTAL_TOKEN")
        self.client = httpx.Client(
            base_url=url.rstrip("/"),
            headers={"Authorization": f"Bearer {token}"},
            timeout=TIMEOUT_S,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> PortalClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            answer = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            where = self.client.base_url
            raise PortalError(f"the portal at {where} cannot be reached: {error}") from error
        if answer.status_code >= 400:
            raise PortalError(f"the portal refused {method} {path}: {answer.status_code}")
        return answer

    def publish(self, item: PublicObject) -> None:
        self._call(
            "PUT",
            f"/sync/objects/{item.public_id}",
            json={
                "title": item.title,
                "description": item.description,
                "questions": list(item.questions),
                "category": item.category,
                "image": base64.b64encode(item.image_webp).decode("ascii"),
                "published_at": item.published_at.isoformat(),
            },
        )

    def withdraw(self, public_id: str) -> None:
        self._call("DELETE", f"/sync/objects/{public_id}")

    def tips(self, after: int, limit: int = MOST_TIPS) -> list[PortalTip]:
        """Tips with ``seq`` above ``after``, oldest first, at most ``limit``."""
        data = self._call("GET", "/sync/tips", params={"after": after, "limit": limit}).json()
        return [
            PortalTip(
                seq=int(t["seq"]),
                object=t["object"],
                text=t["text"],
                country=t.get("country"),
                place=t.get("place"),
                email=t.get("email"),
                language=t.get("language"),
                received_at=datetime.fromisoformat(t["received_at"]),
                spam_signs=tuple(t.get("spam_signs", ())),
            )
            for t in data["tips"]
        ]

    def set_statistics(
        self, countries_narrowed: int, children_identified: int, offenders_prosecuted: int
    ) -> None:
        self._call(
            "PUT",
            "/sync/statistics",
            json={
                "countries_narrowed": countries_narrowed,
                "children_identified": children_identified,
                "offenders_prosecuted": offenders_prosecuted,
            },
        )
