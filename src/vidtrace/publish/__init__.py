"""Trace an Object, evidence side: the crop sanitiser, four-eyes approval, and the client of
the public portal's sync API (docs/decisions/008-trace-an-object-boundary.md)."""
