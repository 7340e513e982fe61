"""The authors' import page and the packs import/export API: authors only, CSRF on the form, the dry-run
report table, all-or-nothing imports into the author's own pack, uploads larger than other requests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.services import accounts as svc
from tests.interchange.packs import empty_pack, fingerprint
from tests.signin import new_account
from tests.web.conftest import Clock

SOURCE = "https://learn.microsoft.com/en-us/azure/devops/pipelines/"
GIFT = (
    "$CATEGORY: $course$/top/yaml-pipelines\n\n::Wait::Which keyword makes a stage wait?{\n"
    "=dependsOn#Right: it lists the stages.\n~condition#Wrong: it decides whether it runs.\n~trigger#Wrong: it starts a run.\n}\n"
)


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """These tests sign in themselves, with the first-run link."""
    return anonymous


def sign_in(client: TestClient, clock: Clock) -> str:
    token = svc.first_run(client.app.state.db, now=clock.now)  # type: ignore[attr-defined]
    assert token is not None
    client.get(f"/login/link/{token}")
    page = client.get("/author/import").text
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def own_pack(client: TestClient) -> Path:
    data_dir: Path = client.app.state.settings.data_dir  # type: ignore[attr-defined]
    (data_dir / "packs").mkdir(exist_ok=True)
    return empty_pack(data_dir / "packs", "mine")


def test_authors_only(client: TestClient) -> None:
    assert client.get("/author/import", follow_redirects=False).status_code in (303, 401)
    assert client.get("/api/v1/packs/az-400/export?format=gift").status_code == 401


BROKEN_UPLOAD = {"Content-Type": "multipart/form-data"}  # no boundary: a body the form parser refuses


def test_an_upload_is_refused_before_its_body_is_parsed(client: TestClient) -> None:
    """The access rule runs before FastAPI reads the upload: nobody gets 401 and a learner 403 for a body that
    would otherwise be parsed (and, being malformed, answered with 400 or 422)."""
    body = b'--x\r\nContent-Disposition: form-data; name="format"\r\n\r\ngift\r\n--x--\r\n' + b" " * 100_000
    for path in ("/api/v1/packs/import", "/author/import"):
        r = client.post(path, content=body, headers=BROKEN_UPLOAD, follow_redirects=False)
        assert r.status_code in (401, 303), (path, r.status_code, r.text[:200])
        if r.status_code == 303:
            assert r.headers["location"].startswith("/login")
    _, learner = new_account(client.app.state, "lee")  # type: ignore[attr-defined]
    r = client.post("/api/v1/packs/import", content=body, headers={**BROKEN_UPLOAD, **learner})
    assert r.status_code == 403, r.text[:200]
    assert r.json()["error"]["code"] == "forbidden"
    # the same body from an author reaches the parser, which refuses it as a malformed request
    _, author = new_account(client.app.state, "ada", role="author")  # type: ignore[attr-defined]
    r = client.post("/api/v1/packs/import", content=body, headers={**BROKEN_UPLOAD, **author})
    assert r.status_code == 400 and "boundary" in r.text, (r.status_code, r.text[:200])


def test_the_form_checks_then_imports(client: TestClient, clock: Clock) -> None:
    csrf = sign_in(client, clock)
    pack = own_pack(client)
    before = fingerprint(pack)
    form = {"csrf": csrf, "format": "gift", "into": "mine", "source": SOURCE, "action": "check"}
    files = {"file": ("wait.gift", GIFT.encode(), "text/plain")}
    htmx = {"X-CSRF-Token": csrf, "HX-Request": "true"}  # the boosted form, as htmx sends it
    checked = client.post("/author/import", data=form, files=files, headers=htmx)
    assert checked.status_code == 200
    assert "mine/yaml-pipelines/wait" in checked.text and "Dry run: nothing was written" in checked.text
    assert "set from the import&#39;s defaults" in checked.text
    assert fingerprint(pack) == before
    done = client.post("/author/import", data={**form, "action": "import"}, files=files, headers=htmx)
    assert done.status_code == 200 and "Imported into items/imported/wait" in done.text
    assert (pack / "items/imported/wait/yaml-pipelines/wait.md").is_file()
    again = client.post("/author/import", data={**form, "action": "import"}, files=files, headers=htmx)
    assert again.status_code == 400 and "is already in the pack" in again.text


def test_the_form_needs_its_csrf_token(client: TestClient, clock: Clock) -> None:
    sign_in(client, clock)
    r = client.post(
        "/author/import", data={"format": "gift"}, files={"file": ("w.gift", GIFT.encode(), "text/plain")}
    )
    assert r.status_code == 403


def test_the_api_imports_all_or_nothing_and_exports(client: TestClient, clock: Clock) -> None:
    csrf = sign_in(client, clock)
    headers = {"X-CSRF-Token": csrf}
    pack = own_pack(client)
    before = fingerprint(pack)
    bad = GIFT + "\nWhich one?{=a ~b ~c}\n"
    r = client.post(
        "/api/v1/packs/import",
        data={"format": "gift", "into": "mine", "source": SOURCE},
        files={"file": ("bad.gift", bad.encode(), "text/plain")},
        headers=headers,
    )
    assert r.status_code == 400 and "nothing was imported" in r.json()["error"]["message"]
    assert any("which-one: options.0.explanation" in p for p in r.json()["error"]["data"]["problems"])
    assert fingerprint(pack) == before
    ok = client.post(
        "/api/v1/packs/import",
        data={"format": "gift", "into": "mine", "source": SOURCE},
        files={"file": ("wait.gift", GIFT.encode(), "text/plain")},
        headers=headers,
    )
    assert (
        ok.status_code == 200
        and ok.json()["written"]
        and ok.json()["items"][0]["item"] == "mine/yaml-pipelines/wait"
    )
    out = client.get("/api/v1/packs/mine/export?format=qti3")
    assert out.status_code == 200 and out.headers["content-type"] == "application/zip"
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(out.content)).namelist()
    builtin = client.post(
        "/api/v1/packs/import",
        data={"format": "gift", "into": "az-400", "source": SOURCE},
        files={"file": ("wait.gift", GIFT.encode(), "text/plain")},
        headers=headers,
    )
    assert builtin.status_code == 409 and "read-only" in builtin.json()["error"]["message"]
    assert client.get("/api/v1/packs/..%2Fetc/export?format=gift").status_code in (400, 404)
    assert client.get("/api/v1/packs/nope/export?format=gift").status_code == 404
    assert client.get("/api/v1/packs/az-400/export?format=docx").status_code == 400


def test_uploads_may_be_larger_than_other_requests_but_not_unbounded(
    client: TestClient, clock: Clock
) -> None:
    csrf = sign_in(client, clock)
    big = b"// filler\n" * 20_000  # 200 KB: over the general 64 KiB body limit
    r = client.post(
        "/api/v1/packs/import",
        data={"format": "gift", "into": "az-400", "dry_run": "true"},
        files={"file": ("big.gift", big, "text/plain")},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status_code == 200 and r.json()["items"] == []
    huge = client.post(
        "/api/v1/packs/import",
        content=b"x" * 10,
        headers={
            "X-CSRF-Token": csrf,
            "Content-Length": str(60_000_000),
            "Content-Type": "multipart/form-data; boundary=x",
        },
    )
    assert huge.status_code == 413


def test_an_upload_form_without_javascript_carries_its_csrf_field(client: TestClient, clock: Clock) -> None:
    """A plain multipart form (no htmx header): the token in the form's field is enough, a wrong one is refused."""
    csrf = sign_in(client, clock)
    own_pack(client)
    form = {"format": "gift", "into": "mine", "source": SOURCE, "action": "check"}
    files = {"file": ("wait.gift", GIFT.encode(), "text/plain")}
    refused = client.post("/author/import", data={**form, "csrf": "forged"}, files=files)
    assert refused.status_code == 403 and "CSRF" in refused.text
    checked = client.post("/author/import", data={**form, "csrf": csrf}, files=files)
    assert checked.status_code == 200 and "Dry run: nothing was written" in checked.text
