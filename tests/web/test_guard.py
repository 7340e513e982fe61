"""web/guard.py in process: the Host check (DNS rebinding), the Origin check on state-changing requests, the
security headers on every response, and the settings behind them (CERTPREP_PUBLIC_URL,
CERTPREP_TRUST_PROXY_HEADERS)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings, load_settings
from certprep.errors import ConfigError
from certprep.web import create_app
from certprep.web.guard import CSP, HEADERS, Guard, host_port, origin_of
from tests.signin import sign_in

EVIL = "https://evil.example"
PUBLIC = "https://certprep.example.com"
MakeClient = Callable[..., TestClient]


def add_cert(client: TestClient, headers: dict[str, str] | None = None) -> int:
    """POST a held certification through the API: the status code."""
    return client.post(
        "/api/v1/profile/certifications", json={"certification": "AZ-104"}, headers=headers
    ).status_code


@pytest.fixture
def make_client(tmp_path: Path) -> Iterator[MakeClient]:
    """A client on a fresh SQLite file, the Settings' guard fields given as keywords."""
    clients: list[TestClient] = []

    def make(**fields: Any) -> TestClient:
        settings = Settings(database_url=f"sqlite:///{tmp_path / 'g.sqlite3'}", data_dir=tmp_path, **fields)
        client = sign_in(TestClient(create_app(settings)).__enter__())
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


# --- Host -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/v1/roadmap", "/static/certprep.css", "/api/v1/docs"])
def test_dns_rebinding_host_is_400_without_echo(client: TestClient, path: str) -> None:
    r = client.get(path, headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert "evil" not in r.text and "unknown host" in r.text
    if path.startswith("/api/"):
        assert r.json() == {"error": {"code": "unknown_host", "message": "unknown host", "data": {}}}
    else:
        assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-security-policy"] == CSP


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:8400",
        "127.0.0.1:51234",
        "127.0.0.1",
        "localhost:8400",
        "LOCALHOST:9",
        "[::1]:8400",
        "testserver",
    ],
)
def test_loopback_hosts_pass_on_any_port(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/roadmap", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "",
        "127.0.0.1:",
        "127.0.0.1:84x0",
        "[::1",
        "[::1]x",
        "127.0.0.1.evil.example",
        "localhost.",
        "10.0.0.5:8400",
    ],
)
def test_malformed_or_foreign_hosts_are_400(client: TestClient, host: str) -> None:
    assert client.get("/api/v1/roadmap", headers={"Host": host}).status_code == 400


def test_public_host_passes_only_when_configured(make_client: MakeClient) -> None:
    assert make_client().get("/", headers={"Host": "certprep.example.com"}).status_code == 400
    public = make_client(public_url=PUBLIC)
    assert public.get("/", headers={"Host": "certprep.example.com"}).status_code == 200
    assert public.get("/", headers={"Host": "CertPrep.Example.com"}).status_code == 200
    assert public.get("/", headers={"Host": "certprep.example.com:8443"}).status_code == 400
    assert public.get("/", headers={"Host": "127.0.0.1:8400"}).status_code == 200  # a proxy rewriting Host


def test_default_port_counts_as_no_port_for_the_request_scheme(make_client: MakeClient) -> None:
    public = make_client(public_url=PUBLIC, trust_proxy_headers=True)
    https = {"Host": "127.0.0.1:8400", "X-Forwarded-Proto": "https"}
    assert (
        public.get("/", headers={**https, "X-Forwarded-Host": "certprep.example.com:443"}).status_code == 200
    )
    http = {"Host": "127.0.0.1:8400", "X-Forwarded-Proto": "http"}  # :443 is not http's default port
    assert (
        public.get("/", headers={**http, "X-Forwarded-Host": "certprep.example.com:443"}).status_code == 400
    )


def test_two_host_headers_are_400() -> None:
    scope = {"type": "http", "method": "GET", "scheme": "http", "path": "/", "headers": []}
    guard = Guard(lambda *a: None, Settings(database_url="sqlite://", data_dir=Path()))  # type: ignore[arg-type]
    two = [(b"host", b"127.0.0.1:8400"), (b"host", b"evil.example")]
    assert guard.refusal({**scope, "headers": two}) == (400, "unknown_host", "unknown host")
    assert guard.refusal({**scope, "headers": two[:1]}) is None
    assert guard.refusal(scope) == (400, "unknown_host", "unknown host")  # no Host at all


def test_allowed_hosts_come_from_settings() -> None:
    default = Settings(database_url="sqlite://", data_dir=Path())
    assert default.allowed_hosts == ("127.0.0.1:*", "localhost:*", "[::1]:*", "testserver:*")
    public = dataclasses.replace(default, public_url="http://Certprep.Example.com:8080")
    assert public.allowed_hosts[0] == "certprep.example.com:8080"
    assert public.public_origin == "http://certprep.example.com:8080"


def test_host_and_origin_normalisation() -> None:
    assert host_port("https", "Example.COM:443") == "example.com"
    assert host_port("http", "example.com:443") == "example.com:443"
    assert host_port("http", "[::1]:80") == "[::1]"
    assert origin_of("http://127.0.0.1:8400/start?x=1") == "http://127.0.0.1:8400"
    assert origin_of("HTTPS://Certprep.Example.com:443") == PUBLIC
    for bad in ("null", "", "file:///etc/passwd", "https://user@127.0.0.1:8400", "http://[::1", "//x"):
        assert origin_of(bad) is None, bad


# --- Origin -----------------------------------------------------------------------------------------------------


def test_cross_site_api_writes_are_403_and_write_nothing(client: TestClient) -> None:
    before = client.get("/api/v1/profile").json()
    evil = {"Origin": EVIL}
    booking = {"exam": "AZ-400", "scheduled_at": "2027-01-15T09:30"}
    requests = [
        client.post("/api/v1/profile/certifications", json={"certification": "AZ-104"}, headers=evil),
        client.put("/api/v1/profile/booking", json=booking, headers=evil),
        client.put("/api/v1/profile/accommodation", json={"extra_minutes": 30}, headers=evil),
        client.post("/api/v1/attempts", json={"mode": "exam"}, headers=evil),
    ]
    for r in requests:
        assert r.status_code == 403
        assert r.json()["error"]["code"] == "cross_site" and "evil" not in r.text
    assert client.get("/api/v1/profile").json() == before
    assert client.get("/api/v1/attempts").json()["attempts"] == []


def test_cross_site_delete_is_403_and_keeps_the_row(client: TestClient) -> None:
    assert add_cert(client) == 201
    before = client.get("/api/v1/profile").json()
    assert [h["certification"] for h in before["held"]] == ["azure-administrator-associate"]
    r = client.delete("/api/v1/profile/certifications/AZ-104", headers={"Origin": EVIL})
    assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site"
    assert client.get("/api/v1/profile").json() == before


def test_cross_site_form_post_is_an_html_403(client: TestClient) -> None:
    r = client.post("/start", data={"mode": "exam"}, headers={"Origin": EVIL}, follow_redirects=False)
    assert r.status_code == 403 and r.headers["content-type"].startswith("text/html")
    assert "cross-site request refused" in r.text and "evil" not in r.text
    assert client.get("/api/v1/attempts").json()["attempts"] == []


@pytest.mark.parametrize("origin", ["http://testserver", "HTTP://TESTSERVER:80"])
def test_same_origin_post_passes(client: TestClient, origin: str) -> None:
    r = client.post("/start", data={"mode": "exam"}, headers={"Origin": origin}, follow_redirects=False)
    assert r.status_code == 303
    assert len(client.get("/api/v1/attempts").json()["attempts"]) == 1


@pytest.mark.parametrize(
    "origin",
    [
        "null",
        "https://testserver",
        "http://testserver:8400",
        "http://localhost",
        "http://testserver.evil.example",
    ],
)
def test_origin_must_be_exactly_this_server(client: TestClient, origin: str) -> None:
    assert add_cert(client, {"Origin": origin}) == 403


def test_origin_of_the_public_url_passes(make_client: MakeClient) -> None:
    public = make_client(public_url=PUBLIC)
    assert add_cert(public, {"Origin": PUBLIC}) == 201


def test_referer_is_the_fallback(client: TestClient) -> None:
    assert add_cert(client, {"Referer": f"{EVIL}/page"}) == 403
    assert add_cert(client, {"Referer": "http://testserver/profile"}) == 201
    both = {"Origin": EVIL, "Referer": "http://testserver/profile"}  # Origin wins when both are sent
    assert client.delete("/api/v1/profile/certifications/AZ-104", headers=both).status_code == 403


def test_no_origin_and_no_referer_pass(client: TestClient) -> None:
    """The CLI and curl send neither; CSRF tokens protect the browser forms."""
    assert add_cert(client) == 201


def test_safe_methods_are_not_origin_checked(client: TestClient) -> None:
    assert client.get("/api/v1/profile", headers={"Origin": EVIL}).status_code == 200


# --- security headers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/api/v1/roadmap", 200),
        ("GET", "/static/certprep.css", 200),
        ("GET", "/api/v1/docs", 200),
        ("GET", "/nowhere", 404),
        ("GET", "/api/v1/attempts/999999", 404),
        ("POST", "/api/v1/profile/certifications", 422),
    ],
)
def test_security_headers_on_every_response(client: TestClient, method: str, path: str, status: int) -> None:
    r = client.request(method, path, json={} if method == "POST" else None)
    assert r.status_code == status
    for name, value in HEADERS.items():
        assert r.headers[name] == value, (path, name)
    assert "strict-transport-security" not in r.headers


def test_security_headers_on_a_refused_body(client: TestClient) -> None:
    r = client.post("/api/v1/attempts", content=b"x" * 70_000, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.headers["x-frame-options"] == "DENY"


def test_csp_allows_no_inline_script_or_style() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CSP and directives["frame-ancestors"] == "'none'"


def test_hsts_only_with_an_https_public_url(make_client: MakeClient) -> None:
    plain = make_client(public_url="http://certprep.example.com")
    assert "strict-transport-security" not in plain.get("/").headers
    r = make_client(public_url=PUBLIC).get("/")
    assert r.headers["strict-transport-security"] == "max-age=31536000"


# --- proxy headers ----------------------------------------------------------------------------------------------


def test_proxy_headers_are_ignored_unless_trusted(make_client: MakeClient) -> None:
    untrusted = make_client(public_url=PUBLIC)
    spoofed = {"Host": "evil.example", "X-Forwarded-Host": "certprep.example.com"}
    assert untrusted.get("/", headers=spoofed).status_code == 400
    assert untrusted.get("/", headers={"X-Forwarded-Host": "evil.example"}).status_code == 200
    proto = {"Host": "127.0.0.1:8400", "X-Forwarded-Proto": "https", "Origin": "https://127.0.0.1:8400"}
    assert add_cert(untrusted, proto) == 403  # the request is http: an https Origin is another origin


def test_trusted_proxy_headers_are_used(make_client: MakeClient) -> None:
    trusted = make_client(public_url=PUBLIC, trust_proxy_headers=True)
    via_proxy = {
        "Host": "127.0.0.1:8400",
        "X-Forwarded-Host": "certprep.example.com",
        "X-Forwarded-Proto": "https",
    }
    assert trusted.get("/", headers=via_proxy).status_code == 200
    assert trusted.get("/", headers={**via_proxy, "X-Forwarded-Host": "evil.example"}).status_code == 400
    # a client-sent value first, our proxy's value last: the last one counts
    chain = {**via_proxy, "X-Forwarded-Host": "certprep.example.com, evil.example"}
    assert trusted.get("/", headers=chain).status_code == 400
    proto = {"Host": "127.0.0.1:8400", "X-Forwarded-Proto": "https", "Origin": "https://127.0.0.1:8400"}
    assert add_cert(trusted, proto) == 201


# --- settings ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "certprep.example.com",
        "ftp://certprep.example.com",
        "https://",
        "https://certprep.example.com/app",
        "https://certprep.example.com/?next=/",
        "https://certprep.example.com#top",
        "https://user:pw@certprep.example.com",
        "https://certprep.example.com:99999",
        "https://certprep.example.com:0",
        "https://cert prep.example.com",
        "javascript:alert(1)",
    ],
)
def test_a_bad_public_url_fails_at_start_naming_the_setting(url: str) -> None:
    with pytest.raises(ConfigError, match="CERTPREP_PUBLIC_URL") as caught:
        load_settings({"CERTPREP_PUBLIC_URL": url})
    assert caught.value.data == {"setting": "CERTPREP_PUBLIC_URL"}


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        (PUBLIC, PUBLIC),
        (f"{PUBLIC}/", PUBLIC),
        ("https://certprep.example.com:443", PUBLIC),
        ("http://10.0.0.5:8400", "http://10.0.0.5:8400"),
        ("https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"),
    ],
)
def test_good_public_urls(url: str, origin: str) -> None:
    assert load_settings({"CERTPREP_PUBLIC_URL": url}).public_origin == origin


def test_public_url_and_proxy_trust_are_off_by_default() -> None:
    settings = load_settings({})
    assert settings.public_url is None and settings.public_origin is None
    assert settings.trust_proxy_headers is False


def test_trust_proxy_headers_setting() -> None:
    assert load_settings({"CERTPREP_TRUST_PROXY_HEADERS": "1"}).trust_proxy_headers is True
    assert load_settings({"CERTPREP_TRUST_PROXY_HEADERS": "0"}).trust_proxy_headers is False
    with pytest.raises(ConfigError, match="CERTPREP_TRUST_PROXY_HEADERS"):
        load_settings({"CERTPREP_TRUST_PROXY_HEADERS": "maybe"})


@pytest.mark.parametrize(("flag", "trusted"), [("0", False), ("1", True)])
def test_serve_lets_uvicorn_read_proxy_headers_only_when_trusted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, flag: str, trusted: bool
) -> None:
    """uvicorn itself rewrites the scheme from X-Forwarded-Proto sent from loopback unless told not to."""
    from certprep.cli import serve_cmd

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(serve_cmd.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("CERTPREP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CERTPREP_DATABASE_URL", raising=False)
    monkeypatch.setenv("CERTPREP_TRUST_PROXY_HEADERS", flag)
    for workers in (1, 2):
        serve_cmd.serve(port=None, host=None, workers=workers)  # type: ignore[arg-type]
    assert [call["proxy_headers"] for call in calls] == [trusted, trusted]
