"""The clue extractors. Importing this package registers every built-in extractor; they run in
``base.run_order``: the readers of recognised text after the extractor that reads it."""

from vidtrace.clues.extractors import (  # noqa: F401
    barcode,
    camera,
    gps,
    phone,
    timezone,
    visible_text,
    web,
)
from vidtrace.clues.extractors.base import (
    ClueExtractor,
    ClueSubject,
    ExtractorUnavailable,
    Picture,
    extractors,
)

__all__ = ["ClueExtractor", "ClueSubject", "ExtractorUnavailable", "Picture", "extractors"]
