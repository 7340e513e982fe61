"""The web face: create_app(settings) serves HTML pages and the JSON API over the same services."""

from certprep.web.app import create_app

__all__ = ["create_app"]
