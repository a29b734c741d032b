"""Text from outside (the object's title, description and questions from the workbench, a
tip's fields sent back with the form) comes back escaped, in element text and attributes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from markupsafe import escape

from tests.portal.kit import Visitor, publish

SCRIPT = "<script>alert(1)</script>"
BREAK_OUT = '"><img src=x onerror=alert(1)>'
SVG = "<svg onload=alert(1)>"
TEXTAREA = "</textarea><script>alert(2)</script>"
PAYLOAD = f"{SCRIPT} {BREAK_OUT} {SVG}"
RAW = ("<script", "<img src=x", "<svg", "</textarea><")


def shown_escaped(page: str, text: str) -> None:
    assert str(escape(text)) in page, f"{text!r} is not shown escaped"
    for raw in RAW:
        assert raw not in page, f"unescaped {raw!r}"


def test_an_objects_fields_are_escaped_everywhere(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(
        sync, title=PAYLOAD, description=f"{BREAK_OUT}\n{SCRIPT}", questions=[SVG, TEXTAREA]
    )
    client = Visitor(portal, language="en").client
    gallery = client.get("/").text
    shown_escaped(gallery, PAYLOAD)
    assert f'alt="{escape(PAYLOAD)}"' in gallery
    page = client.get(f"/objects/{public_id}").text
    for text in (PAYLOAD, BREAK_OUT, SVG, TEXTAREA):
        shown_escaped(page, text)
    assert f"<title>{escape(PAYLOAD)} ·" in page


def test_a_tip_sent_back_with_its_problems_is_escaped(portal: FastAPI, sync: TestClient) -> None:
    public_id = publish(sync)
    visitor = Visitor(portal, language="en")
    fields = {
        **visitor.form(public_id),
        "text": f"{TEXTAREA} {PAYLOAD}",
        "place": BREAK_OUT,
        "email": f"{BREAK_OUT}@example.org",
        "language": BREAK_OUT,
        "idempotency_key": "k" * 20,
    }  # no consent: the form comes back with everything typed in it
    page = visitor.post_tip(public_id, fields)
    assert page.status_code == 422
    shown_escaped(page.text, f"{TEXTAREA} {PAYLOAD}")
    shown_escaped(page.text, BREAK_OUT)
    assert f'value="{escape(BREAK_OUT)}"' in page.text
    assert 'name="language" value="en"' in page.text  # an unknown language is not echoed


def test_query_parameters_are_not_echoed_raw(portal: FastAPI) -> None:
    client = Visitor(portal).client
    page = client.get("/privacy", params={"x": BREAK_OUT, "lang": SCRIPT}).text
    for raw in RAW:
        assert raw not in page
