"""Evidence -> (provenance, byte stream): folders, zip and tar archives, read in place.

Importing the package registers every archive format in ``archive.archive_formats``.
"""

from vidtrace.sources import tar, zip

__all__ = ["tar", "zip"]
