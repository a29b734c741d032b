"""The clue extractors. Importing this package registers every built-in extractor, in the order
they run: metadata first, then pictures, then the text read off them."""

from vidtrace.clues.extractors.base import (
    ClueExtractor,
    ClueSubject,
    ExtractorUnavailable,
    Picture,
    extractors,
)

__all__ = ["ClueExtractor", "ClueSubject", "ExtractorUnavailable", "Picture", "extractors"]
