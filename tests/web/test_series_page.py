"""The series page and its API: visibility, paging over a large series, workflow, edits,
notes, clue reviews and the country decision, each audited and CSRF-guarded."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.kit.workbench import add_media
from tests.web.conftest import Workbench, csrf_of, login
from vidtrace.clues.analyst_clues import analyst_clue
from vidtrace.store.clue_reviews import ClueReviews
from vidtrace.store.models import AuditEvent, Case, ClueRow, Series, SeriesMember


def browser(bench: Workbench, name: str) -> TestClient:
    """A signed-in browser."""
    return login(bench.client(), name)


def audited(bench: Workbench, action: str) -> int:
    query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
    with bench.app.engine.connect() as conn:
        return int(conn.scalar(query) or 0)


def post(client: TestClient, url: str, data: dict[str, object] | None = None) -> int:
    form = {"csrf_token": csrf_of(client), **(data or {})}
    return client.post(url, data=form, follow_redirects=False).status_code


def test_owner_agency_sees_the_page_other_agency_gets_404(workbench: Workbench) -> None:
    a = workbench.series["a"]
    alice = browser(workbench, "alice")
    page = alice.get(f"/series/{a}")
    assert page.status_code == 200
    for stem in ("a-1", "a-2"):
        sha = workbench.media[stem]
        assert f'src="/media/{sha}/thumbnail"' in page.text and f'href="/media/{sha}"' in page.text
    assert 'loading="lazy"' in page.text and "Case A" in page.text
    assert "in-analysis" in page.text, "the allowed next status is offered"
    data = alice.get(f"/api/series/{a}").json()
    assert data["status"] == "new" and data["next_statuses"] == ["in-analysis"]
    assert data["members"]["total"] == 2 and data["agencies"] == ["Agency A"]
    bob = browser(workbench, "bob")
    assert bob.get(f"/series/{a}").status_code == 404
    assert bob.get(f"/api/series/{a}").status_code == 404
    assert post(bob, f"/series/{a}/notes", {"text": "hello"}) == 404


def test_large_series_is_paged_60_at_a_time(workbench: Workbench) -> None:
    with workbench.app.engine.connect() as conn:
        case_a = conn.scalar(select(Case.id).where(Case.name == "Case A"))
    assert case_a is not None
    keys = sorted(add_media(workbench.app.engine, case_a, n, 9000) for n in range(1, 131))
    alice = browser(workbench, "alice")
    first = alice.get("/api/series/9000").json()["members"]
    third = alice.get("/api/series/9000", params={"page": 3}).json()["members"]
    assert first["total"] == 130 and first["last_page"] == 3
    assert [m["sha256"] for m in first["items"]] == keys[:60]
    assert [m["sha256"] for m in third["items"]] == keys[120:]
    page = alice.get("/series/9000", params={"page": 2}).text
    assert page.count("/thumbnail") == 60 and "page 2 of 3" in page
    assert alice.get(f"/media/{keys[60]}").status_code == 200
    around = alice.get(f"/api/media/{keys[60]}").json()["neighbours"]
    assert around == {"series": 9000, "previous": keys[59], "next": keys[61]}


def test_status_assign_notes_with_csrf_and_audit(workbench: Workbench) -> None:
    a = workbench.series["a"]
    alice = browser(workbench, "alice")
    no_token = alice.post(f"/series/{a}/status", data={"status": "in-analysis"})
    assert no_token.status_code == 403
    assert post(alice, f"/series/{a}/status", {"status": "in-analysis"}) == 303
    assert post(alice, f"/series/{a}/status", {"status": "closed"}) == 400
    assert post(alice, f"/series/{a}/assign", {"assignee": "alice"}) == 303
    assert post(alice, f"/series/{a}/assign", {"assignee": "nobody"}) == 400
    note = "<script>alert('x')</script> & more"
    assert post(alice, f"/series/{a}/notes", {"text": note}) == 303
    data = alice.get(f"/api/series/{a}").json()
    assert (data["status"], data["assignee"]) == ("in-analysis", "alice")
    assert data["notes"][0]["text"] == note and data["notes"][0]["author"] == "alice"
    page = alice.get(f"/series/{a}").text
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in page
    assert [audited(workbench, x) for x in ("series.status", "series.assign", "series.note")] == [
        1,
        1,
        1,
    ]
    reader = browser(workbench, "reader")
    assert reader.get(f"/series/{a}").status_code == 200
    for url, data_ in [
        (f"/series/{a}/status", {"status": "new"}),
        (f"/series/{a}/assign", {"assignee": "alice"}),
        (f"/series/{a}/notes", {"text": "x"}),
        (f"/series/{a}/merge", {"others": str(workbench.series["b"])}),
        (f"/series/{a}/country", {"country": "NL"}),
    ]:
        assert post(reader, url, data_) == 403, url


def test_merge_split_and_move(workbench: Workbench) -> None:
    a, b, c = (workbench.series[k] for k in "abc")
    alice = browser(workbench, "alice")
    assert post(alice, f"/series/{a}/merge", {"others": str(c)}) == 404, "Agency B's series"
    assert post(alice, f"/series/{a}/merge", {"others": f"{b}"}) == 303
    target = min(a, b)
    assert alice.get(f"/api/series/{target}").json()["members"]["total"] == 4
    chosen = [workbench.media["b-1"], workbench.media["b-2"]]
    response = alice.post(
        f"/series/{target}/split",
        data={"member": chosen, "csrf_token": csrf_of(alice)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    with workbench.app.engine.connect() as conn:
        moved = set(
            conn.scalars(select(SeriesMember.media_sha256).where(SeriesMember.series_id == new_id))
        )
    assert moved == set(chosen)
    one = workbench.media["a-1"]
    assert post(alice, f"/series/{target}/move", {"media": one, "to": new_id}) == 303
    with workbench.app.engine.connect() as conn:
        assert (
            conn.scalar(select(SeriesMember.series_id).where(SeriesMember.media_sha256 == one))
            == new_id
        )
        assert conn.scalar(select(Series.size).where(Series.id == new_id)) == 3
    assert [audited(workbench, x) for x in ("series.merge", "series.split", "series.move")] == [
        1,
        1,
        1,
    ]


def test_clue_review_and_country_decision(workbench: Workbench) -> None:
    a = workbench.series["a"]
    reviews = ClueReviews(workbench.app.engine)
    mine = reviews.add(
        analyst_clue(
            workbench.media["a-1"], "sign", "<b>Bakkerij</b>", "admin", {"NL": 1}, confirmed=False
        )
    )
    theirs = reviews.add(
        analyst_clue(
            workbench.media["c-1"], "sign", "Bäckerei", "admin", {"DE": 1}, confirmed=False
        )
    )
    alice = browser(workbench, "alice")
    page = alice.get(f"/series/{a}").text
    assert "&lt;b&gt;Bakkerij&lt;/b&gt;" in page and "<b>Bakkerij</b>" not in page
    assert f"/clues/{mine}/confirm" in page and "Netherlands" in page
    assert post(alice, f"/clues/{mine}/confirm?series={a}") == 303
    assert post(alice, f"/clues/{theirs}/reject") == 404, "a clue on an invisible item"
    assert post(browser(workbench, "reader"), f"/clues/{mine}/reject") == 403
    assert post(alice, f"/series/{a}/country", {"country": "XX"}) == 400
    assert post(alice, f"/series/{a}/country", {"country": "nl", "note": "sign"}) == 303
    data = alice.get(f"/api/series/{a}").json()
    assert data["decisions"][0]["country"] == "NL" and data["decisions"][0]["clues"] == [mine]
    with workbench.app.engine.connect() as conn:
        assert conn.scalar(select(ClueRow.status).where(ClueRow.id == mine)) == "confirmed"
    assert audited(workbench, "confirmed-clue") == 1 and audited(workbench, "decide-country") == 1


def test_every_change_is_audited_with_agency_and_address(workbench: Workbench) -> None:
    """The stores write the audit rows; the request's client address and the actor's agency
    reach them without being passed down."""
    a = workbench.series["a"]
    mine = ClueReviews(workbench.app.engine).add(
        analyst_clue(workbench.media["a-1"], "sign", "Bakkerij", "admin", {"NL": 1})
    )
    alice = login(workbench.client("10.9.8.7"), "alice")
    assert post(alice, f"/clues/{mine}/reject?series={a}") == 303
    assert post(alice, f"/series/{a}/country", {"country": "NL"}) == 303
    assert post(alice, f"/series/{a}/notes", {"text": "looked at the signs"}) == 303
    query = select(AuditEvent.action, AuditEvent.agency, AuditEvent.client).where(
        AuditEvent.actor == "alice", AuditEvent.action != "login"
    )
    with workbench.app.engine.connect() as conn:
        rows = set(conn.execute(query).all())
    assert rows == {
        ("rejected-clue", "Agency A", "10.9.8.7"),
        ("decide-country", "Agency A", "10.9.8.7"),
        ("series.note", "Agency A", "10.9.8.7"),
    }


def test_the_ranking_keeps_what_other_agencies_clues_say_from_the_analyst(
    workbench: Workbench,
) -> None:
    """A member only another agency's case holds: its clue weighs in the ranking every viewer
    sees, but its value and id reach only those who may see the item."""
    a = workbench.series["a"]
    with workbench.app.engine.connect() as conn:
        case_b = conn.scalar(select(Case.id).where(Case.name == "Case B"))
    assert case_b is not None
    elsewhere = add_media(workbench.app.engine, case_b, 77, a)
    reviews = ClueReviews(workbench.app.engine)
    secret = "Geheimstrasse 5"
    hidden = reviews.add(analyst_clue(elsewhere, "sign", secret, "admin", {"DE": 1}))
    shown = reviews.add(
        analyst_clue(workbench.media["a-1"], "sign", "Bakkerij", "admin", {"NL": 1})
    )

    alice = browser(workbench, "alice")
    data = alice.get(f"/api/series/{a}").json()
    assert secret not in str(data) and hidden not in {c["id"] for c in data["clues"]}
    references = {
        r["country"]: r["clues"] for r in data["country_ranking"]["ranking"] if r["clues"]
    }
    effect = references["DE"][0]["effect"]
    hidden_reference = {"id": None, "ids": [], "kind": "sign", "value": "", "effect": effect}
    assert references["DE"] == [{**hidden_reference, "elsewhere": True}]
    assert references["NL"][0]["id"] == shown and references["NL"][0]["value"] == "Bakkerij"
    page = alice.get(f"/series/{a}").text
    assert secret not in page and "in a case you cannot see" in page

    admin = browser(workbench, "admin")
    assert secret in admin.get(f"/series/{a}").text
