"""The linkers. Importing this package registers every built-in linker."""

from vidtrace.series.linkers.base import LinkCorpus, Linker, linkers

__all__ = ["LinkCorpus", "Linker", "linkers"]
