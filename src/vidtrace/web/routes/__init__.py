"""The workbench's routes, one module per area: sign-in, triage, media."""
