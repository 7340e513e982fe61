"""Pages served from files in the package: the API docs (Swagger UI, vendored), the favicon, docs/scoring.md.

Nothing here is fetched from the internet: Swagger UI's script and style sheet are in `static/swagger/`
(swagger-ui-dist, see its VERSION.txt), started by our own `static/swagger/init.js` (no inline script, so the
strict Content-Security-Policy of web/guard.py holds on this page too), and `web/docs/scoring.md` is a copy of
`docs/scoring.md` that ships in the wheel (tests/web/test_docs_pages.py fails when the two differ).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from certprep.errors import NotFound
from certprep.packs.markdown import render_markdown
from certprep.web.access import PUBLIC, RuledRoute

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[PUBLIC])

# name in the URL -> (file under web/docs/, page title)
DOCS = {"scoring": ("scoring.md", "How scores and readiness are computed")}


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The vendored Swagger UI on our OpenAPI document."""
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "api_docs.html", {"openapi_url": request.app.openapi_url or "/api/v1/openapi.json"}
    )
    return response


@cache
def _favicon() -> bytes:
    return (files("certprep.web") / "static" / "favicon.svg").read_bytes()


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the page says: answer with the SVG icon."""
    return Response(_favicon(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})


@cache
def _doc_html(name: str) -> str:
    return render_markdown((files("certprep.web") / "docs" / name).read_text(encoding="utf-8"))


@router.get("/docs/{name}", response_class=HTMLResponse)
def doc(request: Request, name: str) -> HTMLResponse:
    """A document of docs/ rendered as a page (raw HTML in it is shown as text, never run)."""
    if name not in DOCS:
        raise NotFound(f"no document {name!r}", document=name)
    filename, title = DOCS[name]
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, "doc.html", {"title": title, "body": Markup(_doc_html(filename))}
    )
    return response
