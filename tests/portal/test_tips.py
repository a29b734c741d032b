"""Tips from the public: stored once, in the language of the page, behind CSRF protection, a
rate limit, size limits, a honeypot and spam signs that flag without deleting."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.portal.kit import BEARER, TOKEN, Visitor, publish
from vidtrace.portal.app import create_portal_app
from vidtrace.portal.settings import PortalLimits, PortalSettings
from vidtrace.portal.store import DATABASE_FILE

TIP = "This bag is sold in a market in Lyon, near the station."
THANKS = "We have received your tip."


def pulled(sync: TestClient, after: int = 0) -> list[dict[str, object]]:
    tips: list[dict[str, object]] = sync.get(
        "/sync/tips", params={"after": after}, headers=BEARER
    ).json()["tips"]
    return tips


@pytest.fixture
def bag(sync: TestClient) -> str:
    return publish(sync, title="A blue bag")


def test_a_tip_from_the_form_is_stored_with_every_field(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    visitor = Visitor(portal, language="en")
    answer = visitor.send_tip(
        bag, TIP, country="fr", place="Lyon", email="witness@example.org", website=""
    )
    assert answer.status_code == 200 and THANKS in answer.text
    [tip] = pulled(sync)
    assert tip["object"] == bag and tip["text"] == TIP
    assert (tip["country"], tip["place"], tip["email"], tip["language"]) == (
        "FR",
        "Lyon",
        "witness@example.org",
        "en",
    )
    assert tip["spam_signs"] == []


def test_a_french_tip_records_french(portal: FastAPI, sync: TestClient, bag: str) -> None:
    by_browser = Visitor(portal, language="fr-FR,fr;q=0.9")
    answer = by_browser.send_tip(bag, "Ce sac est vendu à Lyon, au marché de la gare.")
    assert "<h1>Merci</h1>" in answer.text
    by_switcher = Visitor(portal, language="de")
    by_switcher.client.get("/", params={"lang": "es"})
    by_switcher.send_tip(bag, "Esta bolsa se vende en Madrid, en el Rastro.")
    assert [tip["language"] for tip in pulled(sync)] == ["fr", "es"]


def test_the_same_form_sent_twice_stores_one_tip(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    visitor = Visitor(portal)
    form = {**visitor.form(bag), "text": TIP, "consent": "yes"}
    first = visitor.post_tip(bag, form)
    again = visitor.post_tip(bag, {**form, "text": "A different text, same key."})
    assert first.status_code == again.status_code == 200
    assert THANKS in again.text
    assert [tip["text"] for tip in pulled(sync)] == [TIP]
    # A key the client made up is accepted too, once.
    own_key = {**form, "idempotency_key": "my-own-key_0123456789"}
    for _ in range(3):
        assert visitor.post_tip(bag, own_key).status_code == 200
    assert len(pulled(sync)) == 2


@pytest.mark.parametrize("key", ["", "short", "x" * 65, "has spaces in it!!", "ключ" * 5])
def test_a_form_without_a_valid_key_is_sent_back(
    portal: FastAPI, sync: TestClient, bag: str, key: str
) -> None:
    visitor = Visitor(portal, language="en")
    answer = visitor.post_tip(
        bag, {**visitor.form(bag), "text": TIP, "consent": "yes", "idempotency_key": key}
    )
    assert answer.status_code == 422
    assert "The form is incomplete" in answer.text and TIP in answer.text
    assert pulled(sync) == []


def test_csrf_a_form_token_without_its_cookie_is_refused(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    victim = Visitor(portal, language="en")
    forged = {**victim.form(bag), "text": TIP, "consent": "yes"}
    attacker = Visitor(portal, address="198.51.100.66", language="en")
    refused = attacker.post_tip(bag, forged)
    assert refused.status_code == 403
    assert "This form has expired" in refused.text
    assert TIP in refused.text  # nothing typed is lost: the form comes back filled in
    without_token = {k: v for k, v in forged.items() if k != "csrf_token"}
    assert victim.post_tip(bag, without_token).status_code == 403
    assert victim.post_tip(bag, {**forged, "csrf_token": "x" * 43}).status_code == 403
    assert pulled(sync) == []
    # The page sent back carries a fresh token for this browser: sending again works.
    attacker.client.get(f"/objects/{bag}")
    assert attacker.send_tip(bag, TIP).status_code == 200


def test_the_rate_limit_answers_429_and_spares_other_clients(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    busy = Visitor(portal, address="192.0.2.1", language="de")
    for number in range(10):
        assert busy.send_tip(bag, f"Tip number {number} about the bag").status_code == 200
    refused = busy.send_tip(bag, "One tip too many about the bag")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert "<h1>Zu viele Hinweise</h1>" in refused.text
    other = Visitor(portal, address="192.0.2.2")
    assert other.send_tip(bag, "Another person, another tip").status_code == 200
    assert len(pulled(sync)) == 11


def forwarded_portal(tmp_path: Path, trust: bool, limits: PortalLimits) -> FastAPI:
    settings = PortalSettings(tmp_path / "p", token=TOKEN, trust_forwarded=trust, limits=limits)
    return create_portal_app(settings)


@pytest.mark.parametrize("trust", [True, False])
def test_forwarded_addresses_count_only_when_trusted(tmp_path: Path, trust: bool) -> None:
    app = forwarded_portal(tmp_path, trust, PortalLimits(client_tips_per_minute=1))
    bag = publish(TestClient(app))
    proxy = Visitor(app, address="127.0.0.1")
    first = proxy.send_tip(bag, TIP, headers={"x-forwarded-for": "192.0.2.7, 10.0.0.1"})
    other = proxy.send_tip(bag, TIP + " again", headers={"x-forwarded-for": "192.0.2.8"})
    assert first.status_code == 200
    assert other.status_code == (200 if trust else 429)


def test_the_overall_cap_holds_whoever_sends(tmp_path: Path) -> None:
    app = forwarded_portal(tmp_path, True, PortalLimits(tips_per_minute=3))
    bag = publish(TestClient(app))
    visitor = Visitor(app)
    statuses = [
        visitor.send_tip(bag, f"Tip {n}", headers={"x-forwarded-for": f"192.0.2.{n}"}).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_filled_honeypot_looks_accepted_and_is_kept_as_spam(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    robot = Visitor(portal, language="en")
    answer = robot.send_tip(bag, "Buy cheap watches now", website="https://spam.example")
    assert answer.status_code == 200 and THANKS in answer.text
    [tip] = pulled(sync)
    assert "honeypot" in tip["spam_signs"]
    statistics = Visitor(portal, language="en").client.get("/statistics").text
    assert "sent 0 tips" in statistics  # robots are not counted as the public


def test_spam_signs_flag_without_deleting(portal: FastAPI, sync: TestClient, bag: str) -> None:
    lamp = publish(sync, title="A lamp", category="furniture")
    first, second = Visitor(portal, "192.0.2.30"), Visitor(portal, "192.0.2.31")
    first.send_tip(bag, "Sold here: https://shop.example/bags and www.example.org")
    first.send_tip(bag, "Lyon")
    first.send_tip(bag, "It comes from a market in Marseille.")
    first.send_tip(bag, "It  comes from a MARKET in Marseille.")  # the same, for a person
    second.send_tip(lamp, "It comes from a market in Marseille.")
    second.send_tip(lamp, "An honest, ordinary tip about the lamp.")
    signs = [set(tip["spam_signs"]) for tip in pulled(sync)]  # type: ignore[arg-type]
    assert signs == [{"links"}, {"short"}, set(), {"repeat"}, {"many_objects"}, set()]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": ""}, "Please write your tip."),
        ({"text": "   \n  "}, "Please write your tip."),
        ({"text": "x" * 5001}, "Your tip is too long: at most 5,000 characters."),
        ({"place": "p" * 201}, "The place is too long: at most 200 characters."),
        ({"email": "not an address"}, "This e-mail address does not look right."),
        ({"email": "a@" + "b" * 250 + ".org"}, "This e-mail address does not look right."),
        ({"country": "XX"}, "Please choose a country from the list."),
        ({"consent": ""}, "Please tick the box to agree before sending."),
    ],
)
def test_fields_out_of_bounds_send_the_form_back(
    portal: FastAPI, sync: TestClient, bag: str, fields: dict[str, str], message: str
) -> None:
    visitor = Visitor(portal, language="en")
    answer = visitor.post_tip(bag, {**visitor.form(bag), "text": TIP, "consent": "yes", **fields})
    assert answer.status_code == 422
    assert message in answer.text and 'aria-invalid="true"' in answer.text
    assert pulled(sync) == []


def test_line_breaks_count_once_as_in_the_browser(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    text = ("x" * 99 + "\r\n") * 50  # 5,000 characters in the textarea, 5,050 sent
    assert Visitor(portal).send_tip(bag, text.strip()).status_code == 200
    assert pulled(sync)[0]["text"] == text.replace("\r\n", "\n").strip()


def test_limits_are_written_the_readers_way(portal: FastAPI, bag: str) -> None:
    answer = Visitor(portal, language="de").send_tip(bag, "x" * 5001)
    assert "höchstens 5.000 Zeichen" in answer.text


def test_an_oversized_or_odd_body_is_refused_clearly(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    visitor = Visitor(portal, language="en")
    huge = visitor.send_tip(bag, "x" * 70_000)
    assert huge.status_code == 413
    assert "a tip may have at most 5,000 characters" in huge.text
    form = {**visitor.form(bag), "text": TIP, "consent": "yes"}
    multipart = visitor.post_tip(bag, form, files={"picture": ("a.webp", b"RIFF")})
    assert multipart.status_code == 415
    not_utf8 = visitor.post_tip(
        bag,
        {},
        content=b"text=%FF%FE",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert not_utf8.status_code == 400
    with_nul = visitor.post_tip(bag, {**form, "text": "a\x00b"})
    assert with_nul.status_code == 400
    assert pulled(sync) == []


def test_tips_for_a_withdrawn_object_are_refused_but_retries_are_answered(
    portal: FastAPI, sync: TestClient, bag: str
) -> None:
    visitor = Visitor(portal)
    form = {**visitor.form(bag), "text": TIP, "consent": "yes"}
    late = {**visitor.form(bag), "text": TIP + " (late)", "consent": "yes"}
    assert visitor.post_tip(bag, form).status_code == 200
    assert sync.delete(f"/sync/objects/{bag}", headers=BEARER).status_code == 204
    assert visitor.post_tip(bag, form).status_code == 200  # a retry of a stored tip
    assert visitor.post_tip(bag, late).status_code == 404
    assert len(pulled(sync)) == 1


@pytest.fixture
def database(portal_settings: PortalSettings) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(portal_settings.data_dir / DATABASE_FILE)
    yield connection
    connection.close()


def test_the_address_is_never_stored(
    portal: FastAPI, portal_settings: PortalSettings, bag: str, database: sqlite3.Connection
) -> None:
    address = "198.51.100.123"
    Visitor(portal, address=address).send_tip(bag, TIP, email="someone@example.org")
    [(client_hash,)] = database.execute("SELECT client_hash FROM portal_tip").fetchall()
    assert client_hash and address not in client_hash
    for stored in portal_settings.data_dir.iterdir():
        assert address.encode() not in stored.read_bytes(), stored.name
    data = portal_settings.data_dir
    assert data.stat().st_mode & 0o777 == 0o700
    for secret in ("address.salt", "form.key", DATABASE_FILE):
        assert (data / secret).stat().st_mode & 0o777 == 0o600, secret


def test_address_hashes_are_forgotten_after_their_hours(tmp_path: Path) -> None:
    settings = PortalSettings(
        tmp_path / "p", token=TOKEN, limits=PortalLimits(address_hash_hours=0)
    )
    app = create_portal_app(settings)
    bag = publish(TestClient(app))
    Visitor(app).send_tip(bag, TIP)

    def hashes() -> list[tuple[str | None]]:
        with sqlite3.connect(settings.data_dir / DATABASE_FILE) as connection:
            return connection.execute("SELECT client_hash FROM portal_tip").fetchall()

    assert hashes() != [(None,)]
    with TestClient(app):  # the portal forgets expired hashes when it starts, then every while
        assert hashes() == [(None,)]
