"""Helpers for the portal's tests: benign WebP images, a browser that reads the tip form the
way a person's browser would, and publishing over the sync API."""

from __future__ import annotations

import base64
import io
import secrets
import socket
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import httpx
from fastapi.testclient import TestClient
from PIL import Image

TOKEN = "correct-horse-battery-staple-portal"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def webp_image(
    colour: tuple[int, int, int] = (40, 120, 200), size: tuple[int, int] = (96, 64)
) -> bytes:
    """A plain generated picture, WebP-encoded."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "WEBP")
    return buffer.getvalue()


def new_public_id() -> str:
    return secrets.token_hex(16)


def object_json(
    title: str = "A blue bag with a yellow zip",
    category: str = "clothing",
    image: bytes | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """An object as the workbench's client sends it (docs/decisions/008)."""
    return {
        "title": title,
        "description": extra.pop("description", "Seen in several pictures."),
        "questions": extra.pop("questions", ["Where is this bag sold?"]),
        "category": category,
        "image": base64.b64encode(image or webp_image()).decode("ascii"),
        "published_at": extra.pop("published_at", datetime.now(UTC).isoformat()),
        **extra,
    }


def publish(client: httpx.Client, public_id: str | None = None, **fields: Any) -> str:
    """Publish an object through the sync API; its public id."""
    public_id = public_id or new_public_id()
    answer = client.put(f"/sync/objects/{public_id}", json=object_json(**fields), headers=BEARER)
    assert answer.status_code == 200, answer.text
    return public_id


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden[found["name"] or ""] = found.get("value") or ""


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page's forms, by name."""
    reader = _FormReader()
    reader.feed(page)
    return reader.hidden


class Visitor:
    """One member of the public: a browser with its own cookies at its own address."""

    def __init__(self, app: Any, address: str = "203.0.113.10", language: str | None = None):
        headers = {"accept-language": language} if language else None
        self.client = TestClient(
            app, raise_server_exceptions=False, client=(address, 50000), headers=headers
        )

    def form(self, public_id: str) -> dict[str, str]:
        """The hidden fields of the object's tip form, as served to this visitor."""
        page = self.client.get(f"/objects/{public_id}")
        assert page.status_code == 200, page.text
        return hidden_fields(page.text)

    def send_tip(
        self, public_id: str, text: str, headers: dict[str, str] | None = None, **fields: str
    ) -> httpx.Response:
        """Fill in the form as a person does: the text and the consent box, then send."""
        data = {**self.form(public_id), "text": text, "consent": "yes", **fields}
        return self.post_tip(public_id, data, headers=headers)

    def post_tip(self, public_id: str, data: dict[str, str], **kwargs: Any) -> httpx.Response:
        return self.client.post(f"/objects/{public_id}/tips", data=data, **kwargs)


def free_port() -> int:
    """A loopback port nobody listens on now (for a portal started as its own process)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
