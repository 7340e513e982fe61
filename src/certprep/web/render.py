"""Rendering shared by the HTML page modules: a template with the catalog in its context, and the redirect after a
form (303, so a reload never posts twice)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """The template `name` with `context`, plus the catalog every page's layout reads."""
    context.setdefault("catalog", request.app.state.catalog)
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, name, context, status_code=status
    )
    return response


def go(url: str) -> RedirectResponse:
    """See Other: after a form, the browser GETs `url`."""
    return RedirectResponse(url, status_code=303)
