"""The grouping against ground truth, at the issue's targets: the shared near-duplicate sets,
the vPDQ videos, and the demo (BCubed F1 >= 0.95, no false merge between scenes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kit.databases import sqlite_url
from tests.kit.grouping_sets import (
    GroupingSet,
    demo_set,
    imagededup_set,
    ingest_set,
    jenssegers_set,
    score,
    vpdq_set,
)
from vidtrace.bootstrap import App, bootstrap
from vidtrace.config import Settings

pytestmark = pytest.mark.slow


def grouped(tmp_path: Path, grouping_set: GroupingSet) -> App:
    settings = Settings(workspace=tmp_path / "ws", database_url=sqlite_url(tmp_path), workers=1)
    app = bootstrap(settings)
    ingest_set(app, grouping_set)
    app.grouper().run()
    return app


def series_by_name(app: App) -> dict[str, int | None]:
    """File name -> series id, for every occurrence."""
    of = app.series().series_of_media()
    return {Path(path).name: of.get(sha) for path, sha in app.media().located().items()}


def test_imagededup_copies_group_with_their_originals(tmp_path: Path, shared_data: Path) -> None:
    app = grouped(tmp_path, imagededup_set(shared_data))
    result = score(app, imagededup_set(shared_data))
    assert result.bcubed.f1 >= 0.95, result.to_json()
    assert result.false_merges == 0
    names = series_by_name(app)
    original = names["ukbench00120.jpg"]
    assert original is not None
    for copy in ("_hflip", "_resize", "_rotation", "_gray"):
        assert names[f"ukbench00120{copy}.jpg"] == original, copy
    assert names["alpha_channel_image.png"] == original
    for fmt in ("bmp", "jpeg", "png", "webp"):
        assert names[f"ukbench09380.{fmt}"] == names["ukbench09380.jpg"] is not None
    assert names["ukbench09268_corrupt.jpg"] is None, "the corrupt file breaks nothing"
    assert names["ukbench09268.jpg"] != original


def test_imagehash_folders_are_the_groups(tmp_path: Path, shared_data: Path) -> None:
    app = grouped(tmp_path, jenssegers_set(shared_data))
    result = score(app, jenssegers_set(shared_data))
    assert result.false_merges == 0, "forest and office never merge"
    names = series_by_name(app)
    forest = {names[f"forest-{edit}.jpg"] for edit in ("high", "low", "thumb", "copyright")}
    assert len(forest) == 1 and None not in forest


def test_pattern_videos_form_one_series_and_doorknob_stays_apart(
    tmp_path: Path, shared_data: Path
) -> None:
    app = grouped(tmp_path, vpdq_set(shared_data))
    names = series_by_name(app)
    patterns = {v for k, v in names.items() if k.startswith("pattern-")}
    assert len(patterns) == 1 and None not in patterns
    assert names["doorknob-hd-no-bar.mp4"] not in patterns
    assert score(app, vpdq_set(shared_data)).false_merges == 0


def test_demo_series_match_the_ground_truth(tmp_path: Path) -> None:
    demo = demo_set(tmp_path / "evidence")
    app = grouped(tmp_path, demo)
    result = score(app, demo)
    assert result.false_merges == 0, result.to_json()
    assert result.bcubed.f1 >= 0.95, result.to_json()
