"""The app for ASGI servers started by import string (`uvicorn --factory certprep.web.asgi:app_from_environment`,
and each worker of `certprep serve --workers N`): settings come from the environment in the worker itself."""

from __future__ import annotations

from fastapi import FastAPI

from certprep.config import load_settings
from certprep.web.app import create_app


def app_from_environment() -> FastAPI:
    """Build the app from CERTPREP_* variables (the embedded SQLite is migrated under its write lock, once)."""
    return create_app(load_settings())
