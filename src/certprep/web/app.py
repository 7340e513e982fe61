"""The FastAPI application factory and the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from certprep import __version__
from certprep.config import Settings
from certprep.domain.accounts import may
from certprep.domain.links import local_path, safe_url
from certprep.domain.presentation import answer_parts, choice_label
from certprep.domain.readiness import READINESS_VS_EXAM, readiness_sentence
from certprep.domain.report import is_scaled
from certprep.errors import CertprepError, NotSignedIn
from certprep.services.content import get_bank, load_checked_pack
from certprep.services.database import open_database
from certprep.web import (
    account_pages,
    admin_pages,
    api,
    attempts_api,
    author_pages,
    cards_pages,
    docs_pages,
    exam_pages,
    home_pages,
    import_pages,
    labs_api,
    labs_pages,
    pages,
    plan_api,
    plan_pages,
    profile_api,
    profile_pages,
    sources_pages,
    team_pages,
)
from certprep.web.access import route_table, unruled
from certprep.web.auth import Authenticate, csrf_of, who
from certprep.web.charts import trend_svg
from certprep.web.exam_forms import markdown_html, prompt_html
from certprep.web.guard import Guard, security_headers
from certprep.web.history import PushUrl
from certprep.web.limits import BodyLimit

log = logging.getLogger("certprep.web")

# Every router and its prefix: the route table the access check and the authorization matrix test read.
ROUTERS: tuple[tuple[APIRouter, str], ...] = (
    (api.router, "/api/v1"),
    (attempts_api.router, "/api/v1"),
    (pages.router, ""),
    (exam_pages.router, ""),
    (home_pages.router, ""),
    (home_pages.api, "/api/v1"),
    (plan_pages.router, ""),
    (plan_pages.feed, ""),
    (account_pages.public, ""),
    (account_pages.router, ""),
    (account_pages.api, "/api/v1"),
    (plan_api.router, "/api/v1"),
    (docs_pages.router, ""),
    (profile_api.router, "/api/v1"),
    (profile_pages.router, ""),
    (cards_pages.router, ""),
    (team_pages.router, ""),
    (team_pages.api, "/api/v1"),
    (team_pages.invitations, ""),
    (admin_pages.router, ""),
    (admin_pages.api, "/api/v1"),
    (author_pages.router, ""),
    (author_pages.api, "/api/v1"),
    (sources_pages.router, ""),
    (sources_pages.api, "/api/v1"),
    (import_pages.router, ""),
    (import_pages.api, "/api/v1"),
    (labs_api.router, "/api/v1"),
    (labs_pages.router, ""),
)


def create_app(settings: Settings, *, now: Callable[[], datetime] | None = None) -> FastAPI:
    """Build the app: database opened (SQLite migrated) and catalog loaded once, at start."""
    app = FastAPI(
        title="certprep",
        version=__version__,
        docs_url=None,  # served by docs_pages from the vendored Swagger UI, not a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.db = open_database(settings)
    app.state.catalog = load_checked_pack(settings).catalog  # refused unless `certprep pack check` passes
    app.state.bank_root = settings.pack_dir
    get_bank(settings.pack_dir)  # parsed once at start, not on a worker's first request
    app.state.now = now or (lambda: datetime.now(UTC))
    app.state.templates = Jinja2Templates(directory=str(Path(str(files("certprep.web") / "templates"))))
    app.state.templates.env.filters["safe_url"] = (
        safe_url  # every href/src printing a URL from a pack or the database
    )
    app.state.templates.env.globals.update(
        readiness_sentence=readiness_sentence,
        readiness_vs_exam=READINESS_VS_EXAM,
        is_scaled=is_scaled,
        prompt_html=prompt_html,
        answer_parts=answer_parts,
        choice_label=choice_label,
        markdown=markdown_html,
        trend_svg=trend_svg,
        csrf_of=csrf_of,
        who=who,
        may=may,
    )
    app.mount(
        "/static", StaticFiles(directory=str(Path(str(files("certprep.web") / "static")))), name="static"
    )
    for router, prefix in ROUTERS:
        app.include_router(router, prefix=prefix)
    if missing := unruled(route_table(app, ROUTERS)):  # every route says who may call it (web/access.py)
        raise RuntimeError("routes without an access rule: " + "; ".join(missing))
    app.add_middleware(Authenticate)
    app.add_middleware(BodyLimit, larger=dict.fromkeys(import_pages.UPLOAD_PATHS, import_pages.UPLOAD_LIMIT))
    app.add_middleware(PushUrl)
    app.add_middleware(Guard, settings=settings)  # outermost: Host, Origin, security headers
    _errors(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _errors(app: FastAPI) -> None:
    def render(
        request: Request,
        status: int,
        code: str,
        message: str,
        data: dict[str, object],
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"error": {"code": code, "message": message, "data": data}},
                status_code=status,
                headers=headers,
            )
        templates: Jinja2Templates = request.app.state.templates
        title = (
            "Not found"
            if status == 404
            else ("Something went wrong" if status >= 500 else "That did not work")
        )
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "title": title, "message": message},
            status_code=status,
            headers=headers,
        )

    @app.exception_handler(CertprepError)
    async def _certprep(request: Request, exc: CertprepError) -> Response:
        if isinstance(exc, NotSignedIn) and not _wants_json(request):
            # A page asked without an account: to the sign-in form, which comes back here afterwards.
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            there = "/login" if back == "/" else "/login?" + urlencode({"next": local_path(back)})
            return RedirectResponse(there, status_code=303)
        return render(request, exc.status, exc.code, exc.message, exc.data)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"field": ".".join(str(x) for x in e["loc"])[:200], "message": str(e["msg"])[:300]}
            for e in exc.errors()[:20]
        ]
        message = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return render(request, 422, "invalid_request", message, {"problems": problems})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return render(request, exc.status_code, "http_error", str(exc.detail)[:300], {}, exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        # Starlette sends this response from its outermost layer, past every middleware: add the headers here.
        headers = security_headers(request.app.state.settings)
        return render(request, 500, "internal_error", "internal error (logged on the server)", {}, headers)


__all__ = ["HTMLResponse", "create_app"]
