"""vidtrace: an open-source workbench for child-abuse victim identification."""

__version__ = "0.1.0"
