"""The demo's bank pre-categorises what its ground truth says is known, and nothing else; the
demo ends grouped, with the series and overlaps of its ground truth, and checks its countries;
its logins work, and its Trace an Object portal runs with the demo object published."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from tests.kit.databases import sqlite_url
from tests.portal.kit import free_port
from vidtrace.config import Settings
from vidtrace.demo.accounts import REVIEWERS
from vidtrace.demo.run import run_demo
from vidtrace.demo.trace_object import TITLE, publish_demo_object, running_portal
from vidtrace.store.models import PublishedObject


def _occurrence(truth_path: str, folders: dict[str, str]) -> tuple[str, str]:
    """(case, occurrence path) of a ground-truth path "case-folder/item/rest"."""
    folder, rest = truth_path.split("/", 1)
    item, tail = rest.split("/", 1)
    return folders[folder], rest if item.endswith("!") else tail


@pytest.mark.slow
def test_demo_bank_precategorises_the_known_series(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tesseract: str
) -> None:
    settings = Settings(workspace=tmp_path / "ws", database_url=sqlite_url(tmp_path), workers=2)
    assert run_demo(settings, tmp_path / "evidence", as_json=True) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["bank"]["imported"] == report["bank"]["records_read"]

    from vidtrace.bootstrap import bootstrap

    app = bootstrap(settings)
    known = {
        (place["case"], place["path"])
        for item in app.media().list()
        if item["known"]
        for place in item["occurrences"]
    }
    truth = json.loads((tmp_path / "evidence" / "ground-truth.json").read_text())
    folders = {c["folder"]: c["name"] for c in truth["cases"]}
    series = {s["id"]: s for s in truth["series"]}
    corrupt = {c["path"] for c in truth["corrupt"]}
    by_md5 = {_occurrence(p, folders) for p in series["S01"]["members"] if p not in corrupt}
    assert by_md5 <= known
    s02 = series["S02"]
    near = {
        _occurrence(p, folders)
        for p, edit in s02["edits"].items()
        if edit in {"original", "reencode", "hflip", "messenger", "format_copy"}
    }
    assert near <= known  # found through PDQ, the mirrored copy through its dihedral variants
    wallpaper = {_occurrence(p, folders) for p in truth["distractors"] if "wallpaper" in p}
    assert wallpaper <= known
    s02_all = {_occurrence(p, folders) for p in s02["members"]}
    assert known <= by_md5 | s02_all | wallpaper
    assert report["precategorised"] == sum(1 for m in app.media().list() if m["known"])
    # the demo ends grouped: its series and overlaps match the ground truth
    check = report["series_check"]
    assert check["false_merges"] == 0 and check["bcubed_f1"] >= 0.95, check
    assert report["grouping"]["series"] == report["ground_truth_series"]["series"]
    in_several = report["ground_truth_series"]["in_several_cases"]
    assert report["overlapping_series"] == in_several
    # every true series is ranked by country; the conflict scene is reported apart
    countries = report["country_check"]
    assert countries["series"] == report["ground_truth_series"]["series"]
    assert countries["conflicts_expected"] == [s["id"] for s in truth["series"] if s["conflict"]]
    known = len(countries["known_series"])
    assert countries["scored"] == countries["series"] - len(countries["conflicts_expected"]) - known
    # the targets: top-1 >= 0.9 on the demo series, the conflict scene flagged
    assert countries["top1_accuracy"] >= 0.9, countries["rows"]
    assert countries["conflicts_flagged"] == countries["conflicts_expected"]
    assert countries["false_conflicts"] == []
    assert report["clues"]["unavailable"] == {}
    # the printed demo logins work, and the analyst sees the three agencies' shared cases
    users = app.users()
    logins = {login["name"]: login for login in report["logins"]}
    analyst = users.authenticate("analyst", logins["analyst"]["password"])
    assert analyst is not None and analyst.role.value == "analyst"
    assert users.authenticate("admin", logins["admin"]["password"]) is not None
    queue = app.triage().queue(analyst)
    assert queue.total == report["grouping"]["series"] - len(countries["known_series"])
    assert max(row.agencies for row in queue.rows) >= 2, "overlaps across agencies show"
    assert queue.hidden_known > 0
    # Trace an Object: the portal beside the workbench, and the demo object on it, published
    # by the two demo reviewers, cut from new material (never known).
    for name in (*REVIEWERS, "moderator"):
        assert users.authenticate(name, logins[name]["password"]) is not None
    with running_portal(settings, "127.0.0.1", free_port()) as served:
        assert publish_demo_object(app, served, "analyst", REVIEWERS) == "published"
        assert publish_demo_object(app, served, "analyst", REVIEWERS) == "published"  # once
        gallery = httpx.get(served.portal_url + "/").text
        assert gallery.count('class="card-title"') == 1 and TITLE in gallery
    with app.engine.connect() as conn:
        media = conn.scalar(select(PublishedObject.media_sha256))
    assert media is not None and not app.media().get(media)["known"]
    app.close()
