"""The steps that turn one read file into media facts. Each is small; the worker owns failure.

Model: paperless-ngx's consumer plugins. A step that cannot handle an item records a skip reason
on it instead of raising through the runner.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vidtrace.config import Settings
from vidtrace.domain.media import Derivative, MediaKind
from vidtrace.domain.skip import SkipCode, SkipReason
from vidtrace.ingest.item import IngestItem
from vidtrace.signals.base import FileSignal, ImageSignal, StagedFile, signals
from vidtrace.signals.image_decode import DecodeError, decode_reduced
from vidtrace.signals.thumbnail import render_frame_thumbnail, render_thumbnail
from vidtrace.signals.video import probe_and_hash_video
from vidtrace.store.vault import Vault

THUMBNAIL_MIME = "image/webp"


@dataclass
class FileContext:
    """What the steps may touch for one file: its staged bytes, the settings and the vault."""

    staged: Path
    settings: Settings
    vault: Vault
    is_ingested: Callable[[str], bool]


class Step(ABC):
    @abstractmethod
    def able_to_run(self, item: IngestItem) -> bool: ...

    @abstractmethod
    def run(self, item: IngestItem, ctx: FileContext) -> None: ...


def _pending(item: IngestItem, *kinds: MediaKind) -> bool:
    return (
        item.digests is not None
        and not item.already_known
        and item.skipped is None
        and item.facts.kind in kinds
    )


class SkipKnownMedia(Step):
    """Bytes already fully ingested (from any case) are not decoded again.

    Archives are still expanded by the worker: their members may not all be recorded yet.
    """

    def able_to_run(self, item: IngestItem) -> bool:
        return item.digests is not None

    def run(self, item: IngestItem, ctx: FileContext) -> None:
        assert item.digests is not None
        item.already_known = ctx.is_ingested(item.digests.sha256)


class DecodeImage(Step):
    """Reduced-scale decode, then every registered image signal, then the thumbnail."""

    def able_to_run(self, item: IngestItem) -> bool:
        return _pending(item, MediaKind.IMAGE)

    def run(self, item: IngestItem, ctx: FileContext) -> None:
        facts = item.facts
        try:
            reduced = decode_reduced(ctx.staged, facts.mime or "", ctx.settings.limits)
        except DecodeError as error:
            item.skipped = error.reason
            facts.decode_error = str(error.reason)
            return
        facts.width, facts.height = reduced.width, reduced.height
        for signal_class in signals:
            if issubclass(signal_class, ImageSignal):
                setattr(facts, signal_class.facts_field, signal_class().compute(reduced))
        data, width, height = render_thumbnail(reduced, ctx.settings.thumbnail_px)
        facts.derivatives.append(
            Derivative("thumbnail", ctx.vault.put_bytes(data), THUMBNAIL_MIME, None, width, height)
        )


class ReadFileSignals(Step):
    """Signals read from the file's bytes (EXIF, container tags)."""

    def able_to_run(self, item: IngestItem) -> bool:
        return _pending(item, MediaKind.IMAGE, MediaKind.VIDEO)

    def run(self, item: IngestItem, ctx: FileContext) -> None:
        kind, mime = item.facts.kind, item.facts.mime or ""
        staged = StagedFile(ctx.staged, kind, mime, ctx.settings.limits)
        for signal_class in signals:
            if issubclass(signal_class, FileSignal) and kind in signal_class.kinds:
                setattr(item.facts, signal_class.facts_field, signal_class().compute(staged))


class DecodeVideo(Step):
    """One decode pass: container facts, vPDQ frame hashes and keyframe thumbnails."""

    def able_to_run(self, item: IngestItem) -> bool:
        return _pending(item, MediaKind.VIDEO)

    def run(self, item: IngestItem, ctx: FileContext) -> None:
        facts, settings = item.facts, ctx.settings
        try:
            result = probe_and_hash_video(ctx.staged, settings.frames_per_second, settings.limits)
        except DecodeError as error:
            item.skipped = error.reason
            facts.decode_error = str(error.reason)
            return
        facts.video = result.info
        facts.width, facts.height = result.info.width, result.info.height
        facts.frames = list(result.frames)
        if not result.complete and not result.frames:
            item.skipped = SkipReason(SkipCode.CORRUPT_VIDEO, "no frame could be decoded")
        elif not result.complete:
            # What decoded is kept (frames, keyframes); the analyst is told the stream broke.
            last = result.frames[-1].seconds if result.frames else 0.0
            item.skipped = SkipReason(
                SkipCode.CORRUPT_VIDEO,
                f"stream breaks off; {len(result.frames)} frames up to {last:.1f} s kept",
            )
            facts.decode_error = str(item.skipped)
        for seconds, frame in result.keyframes:
            data, width, height = render_frame_thumbnail(frame, settings.thumbnail_px)
            sha256 = ctx.vault.put_bytes(data)
            facts.derivatives.append(
                Derivative("keyframe", sha256, THUMBNAIL_MIME, seconds, width, height)
            )
        if facts.derivatives:
            first = facts.derivatives[0]
            facts.derivatives.insert(0, Derivative("thumbnail", first.vault_sha256, first.mime))


class KeepOriginal(Step):
    """Images and videos are kept in the vault, so the workbench never reopens the evidence."""

    def able_to_run(self, item: IngestItem) -> bool:
        return (
            item.digests is not None
            and not item.already_known
            and item.facts.kind in (MediaKind.IMAGE, MediaKind.VIDEO)
        )

    def run(self, item: IngestItem, ctx: FileContext) -> None:
        assert item.digests is not None
        if ctx.settings.keep_originals:
            ctx.vault.commit(ctx.staged, item.digests.sha256)


STEPS: tuple[Step, ...] = (
    SkipKnownMedia(),
    ReadFileSignals(),
    DecodeImage(),
    DecodeVideo(),
    KeepOriginal(),
)

STAGED_KINDS = frozenset({MediaKind.IMAGE, MediaKind.VIDEO, MediaKind.ARCHIVE})


def run_steps(item: IngestItem, ctx: FileContext) -> None:
    for step in STEPS:
        if step.able_to_run(item):
            step.run(item, ctx)
