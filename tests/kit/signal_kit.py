"""The contract every signal meets, as a base test class (python-threatexchange style).

A signal's test module subclasses ``SignalContract``, sets ``signal`` to an instance and provides
a ``sample_input`` fixture returning what ``compute`` takes; it gets these checks for free::

    class TestPdqSignal(SignalContract):
        signal = PdqSignal()

        @pytest.fixture
        def sample_input(self) -> ReducedImage: ...

Override ``comparable`` when the computed value is not itself a hash string (the default takes
``.hex``, ``.pdq`` or the first element of a list).
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from PIL import Image

import vidtrace.signals  # noqa: F401  (registers every signal)
from vidtrace.domain.media import MediaFacts, MediaKind
from vidtrace.signals.base import FileSignal, ImageSignal, Signal, VideoSignal, signals

FACT_TYPES = typing.get_type_hints(MediaFacts)


class SignalContract:
    signal: ClassVar[Signal]

    @pytest.fixture
    def sample_input(self) -> Any:
        raise NotImplementedError("a signal test provides a sample_input fixture")

    def comparable(self, value: Any) -> str:
        """The hash string ``distance`` compares, taken from a computed value."""
        if isinstance(value, list):
            return self.comparable(value[0])
        for attribute in ("hex", "pdq"):
            if hasattr(value, attribute):
                return str(getattr(value, attribute))
        return str(value)

    def test_registered_once_under_its_name(self) -> None:
        cls = type(self.signal)
        assert isinstance(cls.name, str) and cls.name == cls.name.strip().lower() and cls.name
        assert signals.get(cls.name) is cls
        assert [c for c in signals if c.name == cls.name] == [cls]

    def test_version_is_a_positive_int(self) -> None:
        version = type(self.signal).version
        assert isinstance(version, int) and not isinstance(version, bool) and version >= 1

    def test_fills_an_existing_facts_field(self) -> None:
        assert self.signal.facts_field in FACT_TYPES

    def test_has_one_input_kind(self) -> None:
        bases = (ImageSignal, FileSignal, VideoSignal)
        assert sum(isinstance(self.signal, base) for base in bases) == 1
        if isinstance(self.signal, FileSignal):
            kinds = type(self.signal).kinds
            assert kinds and all(isinstance(kind, MediaKind) for kind in kinds)

    def test_compute_is_deterministic(self, sample_input: Any) -> None:
        compute = self.signal.compute  # type: ignore[attr-defined]
        first = compute(sample_input)
        assert first is not None
        assert compute(sample_input) == first

    def test_value_fits_its_facts_field(self, sample_input: Any) -> None:
        value = self.signal.compute(sample_input)  # type: ignore[attr-defined]
        assert fits(value, FACT_TYPES[self.signal.facts_field]), (value, self.signal.facts_field)
        facts = MediaFacts()
        setattr(facts, self.signal.facts_field, value)

    def test_distance_to_itself_is_zero(self, sample_input: Any) -> None:
        distance = getattr(self.signal, "distance", None)
        if distance is None:  # a descriptive signal (EXIF, container facts): nothing to compare
            assert not hasattr(type(self.signal), "max_match_distance")
            return
        value = self.comparable(self.signal.compute(sample_input))  # type: ignore[attr-defined]
        assert distance(value, value) == 0
        assert isinstance(type(self.signal).max_match_distance, int)  # type: ignore[attr-defined]


def fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` is an instance of the annotation ``hint`` (unions, lists, classes)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arm) for arm in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(fits(v, item) for v in value)
    return isinstance(value, hint)


# -- builders for benign generated test media -------------------------------------------------


def photo(width: int, height: int, seed: int = 0) -> Image.Image:
    """A photo-like RGB image: smooth gradients, a few shapes and mild noise (no real content)."""
    if max(width, height) > 640:  # drawn small and scaled up: big sizes stay cheap to build
        scale = 640 / max(width, height)
        small = photo(max(1, round(width * scale)), max(1, round(height * scale)), seed)
        return small.resize((width, height), Image.Resampling.BICUBIC)
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    base = np.stack(
        [
            128 + 100 * np.sin(x / width * (3 + seed % 3) + seed),
            128 + 100 * np.cos(y / height * (2 + seed % 4)),
            255 * (x + y) / (width + height),
        ],
        axis=-1,
    )
    for _ in range(6):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        radius = rng.uniform(0.05, 0.2) * min(width, height)
        mask = (x - cx) ** 2 + (y - cy) ** 2 < radius**2
        base[mask] = rng.uniform(0, 255, 3)
    base += rng.normal(0, 4, base.shape)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def save(image: Image.Image, path: Path, **params: Any) -> Path:
    image.save(path, **params)
    return path
