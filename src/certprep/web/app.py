"""The FastAPI application factory and the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from certprep import __version__
from certprep.config import Settings
from certprep.domain.links import safe_url
from certprep.domain.presentation import answer_parts, choice_label
from certprep.domain.readiness import READINESS_VS_EXAM, readiness_sentence
from certprep.domain.report import is_scaled
from certprep.errors import CertprepError
from certprep.services.content import get_bank, load_checked_pack
from certprep.services.database import open_database
from certprep.web import (
    account_pages,
    api,
    attempts_api,
    cards_pages,
    docs_pages,
    exam_pages,
    home_pages,
    labs_api,
    labs_pages,
    pages,
    plan_api,
    plan_pages,
    profile_api,
    profile_pages,
)
from certprep.web.auth import Authenticate, csrf_of, who
from certprep.web.charts import trend_svg
from certprep.web.exam_forms import markdown_html, prompt_html
from certprep.web.guard import Guard, security_headers
from certprep.web.history import PushUrl
from certprep.web.limits import BodyLimit

log = logging.getLogger("certprep.web")


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
    )
    app.mount(
        "/static", StaticFiles(directory=str(Path(str(files("certprep.web") / "static")))), name="static"
    )
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(attempts_api.router, prefix="/api/v1")
    app.include_router(pages.router)
    app.include_router(exam_pages.router)
    app.include_router(home_pages.router)
    app.include_router(home_pages.api, prefix="/api/v1")
    app.include_router(plan_pages.router)
    app.include_router(account_pages.router)
    app.include_router(account_pages.api, prefix="/api/v1")
    app.include_router(plan_api.router, prefix="/api/v1")
    app.include_router(docs_pages.router)
    app.include_router(profile_api.router, prefix="/api/v1")
    app.include_router(profile_pages.router)
    app.include_router(cards_pages.router)
    app.include_router(labs_api.router, prefix="/api/v1")
    app.include_router(labs_pages.router)
    app.add_middleware(Authenticate)
    app.add_middleware(BodyLimit)
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
