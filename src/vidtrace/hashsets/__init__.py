"""Hash sets investigators share: VICS (Project VIC), NSRL RDS and ICSE CSV, read streaming.

Importing the package registers every format in ``base.hashset_formats``; adding a format is one
new module plus one import line here.
"""

from vidtrace.hashsets import icse as icse
from vidtrace.hashsets import nsrl as nsrl
from vidtrace.hashsets import vics as vics
from vidtrace.hashsets.base import hashset_formats

__all__ = ["hashset_formats"]
