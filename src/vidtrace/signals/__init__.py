"""Signals: one module per signal, each registering itself in ``base.signals`` on import.

Adding a signal is one new module plus one import line here.
"""

from vidtrace.signals import exif as exif
from vidtrace.signals import pdq as pdq
from vidtrace.signals import vpdq as vpdq
from vidtrace.signals.base import DecodeError, signals

__all__ = ["DecodeError", "signals"]
