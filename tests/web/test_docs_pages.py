"""Pages served from package files: the API docs offline, the favicon, docs/scoring.md; and they ship in the wheel."""

from __future__ import annotations

import re
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.web import create_app
from tests.signin import sign_in

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "certprep"
URL = re.compile(r"""(?:src|href)=["']([^"']+)["']""")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", data_dir=tmp_path))
    with TestClient(app) as c:
        sign_in(c)
        yield c


def test_api_docs_reference_nothing_outside_the_server(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and "<script>" not in page.text  # started by init.js: no inline script
    assert re.findall(r"(?:https?:)?//[\w.-]+", page.text) == []
    assets = URL.findall(page.text)
    assert sorted(assets) == [
        "/static/favicon.svg",
        "/static/swagger/init.js",
        "/static/swagger/swagger-ui-bundle.js",
        "/static/swagger/swagger-ui.css",
    ]
    for asset in assets:
        r = client.get(asset)
        assert r.status_code == 200 and len(r.content) > 100, asset
    assert "javascript" in client.get("/static/swagger/swagger-ui-bundle.js").headers["content-type"]
    assert 'data-openapi-url="/api/v1/openapi.json"' in page.text
    assert client.get("/api/v1/openapi.json").status_code == 200
    init = client.get("/static/swagger/init.js").text
    assert "SwaggerUIBundle(" in init and 'getAttribute("data-openapi-url")' in init
    assert "validatorUrl: null" in init  # otherwise Swagger UI may fetch a badge from swagger.io


def test_favicon(client: TestClient) -> None:
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 32 32"
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.content == svg.content
    assert ico.headers["content-type"].startswith("image/svg+xml")


def test_scoring_document_is_a_page(client: TestClient) -> None:
    page = client.get("/docs/scoring")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "<h1>Scoring</h1>" in page.text and '<table tabindex="0">' in page.text
    assert "<title>How scores and readiness are computed · certprep</title>" in page.text
    missing = client.get("/docs/architecture")
    assert missing.status_code == 404 and "no document &#39;architecture&#39;" in missing.text


def test_readiness_links_to_the_scoring_page(client: TestClient) -> None:
    page = client.get("/readiness").text
    assert "docs/scoring.md" not in page
    assert '<a href="/docs/scoring">' in page


def test_packaged_scoring_is_docs_scoring() -> None:
    source = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    packaged = (PACKAGE / "web" / "docs" / "scoring.md").read_text(encoding="utf-8")
    assert packaged == source, "docs/scoring.md changed: cp docs/scoring.md src/certprep/web/docs/scoring.md"


def test_certification_page_exam_time_reads_as_a_sentence(client: TestClient) -> None:
    page = client.get("/certifications/AZ-400").text
    assert "not published Microsoft" not in page
    assert "<td>Microsoft publishes no AZ-400-specific time:" in page


def test_served_package_files_are_package_data() -> None:
    """Every file under web/static and web/docs matches a package-data pattern, so the wheel carries it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["certprep"]
    # setuptools expands each pattern with glob() inside the package directory, as Path.glob does here.
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    served = [
        p
        for folder in ("web/static", "web/docs")
        for p in (PACKAGE / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert PACKAGE / "web" / "static" / "swagger" / "swagger-ui-bundle.js" in served
    assert sorted(set(served) - shipped) == []
