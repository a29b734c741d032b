"""The public Trace an Object portal (docs/decisions/008): a separate process with its own
database holding only published objects, the tips the public sends and the outcome figures.

Nothing here imports the evidence side (store, web, config, bootstrap, ...); a test checks it.
"""
