"""The analyst workbench: a FastAPI app over the same services as the command line.

Build it with :func:`vidtrace.web.app.create_app`; ``vidtrace serve`` runs it under uvicorn.
"""
