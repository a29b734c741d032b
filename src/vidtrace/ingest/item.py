"""The one object every ingest step works on."""

from __future__ import annotations

from dataclasses import dataclass, field

from vidtrace.domain.media import Digests, MediaFacts
from vidtrace.domain.provenance import Provenance
from vidtrace.domain.skip import SkipReason


@dataclass
class IngestItem:
    """One file found in the evidence, as it moves through the steps.

    ``skipped`` set without ``digests``: nothing could be read (broken link, unsafe path...).
    ``skipped`` set with ``digests``: the bytes are hashed and kept, but decoding failed.
    ``already_known``: the media was fully ingested before; only the occurrence is new.
    """

    provenance: Provenance
    digests: Digests | None = None
    facts: MediaFacts = field(default_factory=MediaFacts)
    already_known: bool = False
    skipped: SkipReason | None = None
