"""Authors' import and export: the upload page `/author/import` (dry-run report table, then import) and the JSON
API `POST /api/v1/packs/import` (multipart) and `GET /api/v1/packs/{pack}/export?format=`; authors only (ITEMS).

A pack is named by its id, never by a path: `az-400` is the built-in pack (read-only: exports and dry runs
only), the folder of `CERTPREP_PACK_DIR` answers to its folder name, and `<data dir>/packs/<id>/` holds the
authors' own packs. Uploads may be up to the import limit (the body limit is raised for these two routes only).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from certprep.errors import CertprepError, InvalidInput, NotFound
from certprep.interchange.report import MAX_BYTES
from certprep.services.content import builtin_pack_path
from certprep.services.interchange import (
    EXPORT_FORMATS,
    FORMATS,
    MEDIA,
    SUFFIX,
    ImportReport,
    check_format,
    export_pack,
    import_items,
    plan_import,
)
from certprep.web.access import ITEMS, RuledRoute
from certprep.web.render import page
from certprep.web.schemas import ERRORS

router = APIRouter(route_class=RuledRoute, dependencies=[ITEMS])
api = APIRouter(route_class=RuledRoute, dependencies=[ITEMS])
UPLOAD_PATHS = ("/author/import", "/api/v1/packs/import")
UPLOAD_LIMIT = MAX_BYTES + 1_000_000  # the file plus the form around it
_PACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class ImportRowOut(BaseModel):
    item: str
    type: str
    objective: str
    file: str
    problems: list[str]
    warnings: list[str]


class ImportOut(BaseModel):
    format: str
    file: str
    pack: str
    folder: str
    dry_run: bool
    written: bool
    items: list[ImportRowOut]
    problems: list[str]
    warnings: list[str]


def pack_folder(request: Request, pack: str) -> Path:
    """The folder of a pack id the server knows (see the module docstring); NotFound otherwise."""
    if not _PACK_ID.match(pack):
        raise InvalidInput(f"pack {pack!r}: a pack id is lowercase letters, digits and hyphens", field="pack")
    settings = request.app.state.settings
    candidates = [builtin_pack_path(), settings.data_dir / "packs" / pack]
    if settings.pack_dir is not None:
        candidates.insert(0, settings.pack_dir)
    for folder in candidates:
        if folder.name == pack and (folder / "pack.yaml").is_file():
            return Path(folder)
    raise NotFound(
        f"no pack {pack!r}: use az-400, or create {settings.data_dir / 'packs' / pack} with a pack.yaml",
        field="pack",
    )


def _out(report: ImportReport, request: Request) -> ImportOut:
    return ImportOut(
        format=report.format,
        file=report.file,
        pack=Path(report.pack).name,
        folder=report.folder,
        dry_run=report.dry_run,
        written=report.written,
        items=[
            ImportRowOut(**{k: list(v) if isinstance(v, tuple) else v for k, v in _row(r).items()})
            for r in report.items
        ],
        problems=list(report.problems),
        warnings=list(report.warnings),
    )


def _row(r: object) -> dict[str, object]:
    return {k: getattr(r, k) for k in ("item", "type", "objective", "file", "problems", "warnings")}


async def _read(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f"{upload.filename}: over the {MAX_BYTES // 1_000_000} MB import limit", field="file"
        )
    return data


@api.post("/packs/import", tags=["packs"], responses=ERRORS, response_model=ImportOut)
async def import_api(
    request: Request,
    file: Annotated[UploadFile, File()],
    format: Annotated[str, Form(max_length=10)],
    into: Annotated[str, Form(max_length=64)] = "az-400",
    dry_run: Annotated[bool, Form()] = False,
    objective: Annotated[str | None, Form(max_length=100)] = None,
    source: Annotated[str | None, Form(max_length=500)] = None,
    author: Annotated[str | None, Form(max_length=100)] = None,
) -> ImportOut:
    """Import items from an uploaded file into a pack, all or nothing (400 listing every problem); `dry_run`
    reports the items and warnings and writes nothing."""
    check_format(format)
    data = await _read(file)
    report = import_items(
        data,
        fmt=format,
        into=pack_folder(request, into),
        file=file.filename or "upload",
        today=request.app.state.now().date(),
        dry_run=dry_run,
        objective=objective or None,
        source=source or None,
        author=author or None,
    )
    return _out(report, request)


@api.get("/packs/{pack}/export", tags=["packs"], responses=ERRORS, response_class=Response)
def export_api(
    request: Request, pack: str, format: Annotated[str, Query(max_length=10)] = "qti3"
) -> Response:
    """A pack's items as a QTI 3.0 package, Moodle XML, GIFT or CSV file; the warnings (what the format could not
    hold, per item) are counted in the `X-Certprep-Warnings` header."""
    check_format(format, EXPORT_FORMATS)
    written = export_pack(pack_folder(request, pack), fmt=format)
    return Response(
        written.data,
        media_type=MEDIA[format],
        headers={
            "Content-Disposition": f'attachment; filename="{pack}{SUFFIX[format]}"',
            "X-Certprep-Warnings": str(len(written.warnings)),
        },
    )


@router.get("/author/import", include_in_schema=False, response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    return page(request, "import.html", formats=FORMATS, values={"into": "az-400", "format": "qti3"})


@router.post("/author/import", include_in_schema=False, response_class=HTMLResponse)
async def import_post(
    request: Request,
    file: Annotated[UploadFile, File()],
    format: Annotated[str, Form(max_length=10)],
    into: Annotated[str, Form(max_length=64)] = "az-400",
    action: Annotated[str, Form(max_length=10)] = "check",
    objective: Annotated[str, Form(max_length=100)] = "",
    source: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    values = {"into": into, "format": format, "objective": objective, "source": source}
    try:
        check_format(format)
        data = await _read(file)
        folder = pack_folder(request, into)
        options = {
            "fmt": format,
            "into": folder,
            "file": file.filename or "upload",
            "today": request.app.state.now().date(),
            "objective": objective or None,
            "source": source or None,
        }
        if action == "import":
            report = import_items(data, **options)
        else:
            report, _ = plan_import(data, **options)
    except CertprepError as exc:
        problems = exc.data.get("problems", []) if isinstance(exc, InvalidInput) else []
        return page(
            request,
            "import.html",
            exc.status,
            formats=FORMATS,
            values=values,
            error=exc.message,
            problems=problems,
        )
    status = 400 if report.problems else 200
    return page(request, "import.html", status, formats=FORMATS, values=values, report=report)
