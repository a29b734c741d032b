"""Exporters: a case's media, with what is known about them, in the formats partners read.

Importing the package registers every exporter in ``base.exporters``.
"""

from vidtrace.export import icse as icse
from vidtrace.export import vics as vics
from vidtrace.export.base import exporters

__all__ = ["exporters"]
