"""The media page and its API: metadata and masked picture, visibility, marking a clue with
a box, refusals with a clear message, escaping, and keyframes."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.conftest import Workbench, csrf_of
from tests.web.test_series_page import audited, browser, post
from vidtrace.store.models import ClueRow


def test_media_page_shows_metadata_and_masked_picture(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    alice = browser(workbench, "alice")
    page = alice.get(f"/media/{sha}")
    assert page.status_code == 200
    assert f'src="/media/{sha}/thumbnail"' in page.text and 'class="masked"' in page.text
    assert f"/media/{sha}/full" not in page.text, "the clear picture comes only after a reveal"
    data = alice.get(f"/api/media/{sha}").json()
    assert data["sha256"] == sha and len(data["md5"]) == 32 and len(data["sha1"]) == 40
    assert data["pdq"] and data["pdq"] in page.text and data["md5"] in page.text
    assert [o["case"] for o in data["occurrences"]] == ["Case A"] and "a-1.jpg" in page.text
    assert data["neighbours"]["series"] == workbench.series["a"]
    around = {data["neighbours"]["previous"], data["neighbours"]["next"]} - {None}
    assert around == {workbench.media["a-2"]}
    assert [x["media"] for x in data["similar"]] == [workbench.media["a-2"]]
    similar = alice.get(f"/api/search?kind=pdq&distance=31&q={data['pdq']}").json()
    assert f"/search?kind=pdq&amp;distance=31&amp;q={data['pdq']}" in page.text
    assert sha in {hit["media"] for hit in similar["hits"]}, "the PDQ search finds the item"
    assert "Keyboard shortcuts" in page.text and "propose as object" in page.text
    bob = browser(workbench, "bob")
    assert bob.get(f"/media/{sha}").status_code == 404
    assert bob.get(f"/api/media/{sha}").status_code == 404
    assert alice.get(f"/media/{sha}/keyframes/0").status_code == 404, "an image has none"
    assert alice.get(f"/media/{'0' * 64}").status_code == 404


def test_box_creates_a_clue_with_its_fractions(workbench: Workbench) -> None:
    sha = workbench.media["a-2"]
    alice = browser(workbench, "alice")
    form = {"kind": "sign", "value": "<img src=x onerror=alert(1)>", "countries": "NL:2,BE"}
    response = alice.post(
        f"/media/{sha}/clues",
        data={**form, "box": "0.1,0.2,0.3,0.4", "csrf_token": csrf_of(alice)},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201, response.text
    clue_id = response.json()["id"]
    with workbench.app.engine.connect() as conn:
        row = conn.execute(select(ClueRow).where(ClueRow.id == clue_id)).one()
    assert (row.kind, row.analyst, row.media_sha256) == ("sign", "alice", sha)
    clue = next(c for c in alice.get(f"/api/media/{sha}").json()["clues"] if c["id"] == clue_id)
    assert clue["box"] == [0.1, 0.2, 0.3, 0.4] and set(clue["countries"]) == {"NL", "BE"}
    page = alice.get(f"/media/{sha}").text
    assert "<img src=x onerror=alert(1)>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'data-box="0.1,0.2,0.3,0.4"' in page, "the stored box is drawn again"
    assert audited(workbench, "add-clue") == 1
    # a plain form post (no script) lands back on the page
    assert post(alice, f"/media/{sha}/clues", {"kind": "plug", "value": "F"}) == 303


def test_bad_clues_answer_400_with_the_reason(workbench: Workbench) -> None:
    sha = workbench.media["a-1"]
    alice = browser(workbench, "alice")
    token = csrf_of(alice)
    bad_kind = alice.post(
        f"/media/{sha}/clues",
        data={"kind": "smell", "value": "x", "countries": "NL", "csrf_token": token},
    )
    assert bad_kind.status_code == 400 and "unknown clue kind 'smell'" in bad_kind.json()["error"]
    bad_box = alice.post(
        f"/media/{sha}/clues",
        data={
            "kind": "sign",
            "value": "x",
            "countries": "NL",
            "box": "0.9,0.9,0.5,0.5",
            "csrf_token": token,
        },
    )
    assert bad_box.status_code == 400 and "fractions" in bad_box.json()["error"]
    no_country = alice.post(
        f"/media/{sha}/clues", data={"kind": "sign", "value": "x", "csrf_token": token}
    )
    assert no_country.status_code == 400 and "name the countries" in no_country.json()["error"]
    reader = browser(workbench, "reader")
    assert (
        post(reader, f"/media/{sha}/clues", {"kind": "sign", "value": "x", "countries": "NL"})
        == 403
    )
    assert (
        post(browser(workbench, "bob"), f"/media/{sha}/clues", {"kind": "sign", "value": "x"})
        == 404
    )
    assert audited(workbench, "add-clue") == 0
