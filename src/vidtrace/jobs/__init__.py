"""Where work runs: an executor interface with a local process pool (a Dask one can plug in)."""
