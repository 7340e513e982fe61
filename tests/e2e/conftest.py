"""A real certprep server in a subprocess and the system Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("CERTPREP_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


SERVERS: dict[str, Server] = {}  # by URL: tests that receive a server's URL find its token and sign-in links


def signed_in(browser: Any, url: str, **options: Any) -> Any:
    """A new page (its own browser context) signed in as the owner of the server at `url`."""
    return SERVERS[url].sign_in(browser.new_page(**options))


def owner_headers(url: str) -> dict[str, str]:
    """The owner's token header for the server that `url` (any address on it) points at."""
    base = "/".join(url.split("/", 3)[:3])
    return SERVERS[base].headers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`certprep serve` as a real subprocess on a free port, with its own data directory."""

    def __init__(
        self,
        data: Path,
        port: int | None = None,
        database_url: str | None = None,
        command: list[str] | None = None,
    ) -> None:
        self.data, self.port, self.database_url = data, port or _free_port(), database_url
        self.command = command or [sys.executable, "-m", "certprep", "serve"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.token = ""

    @property
    def env(self) -> dict[str, str]:
        env = {**os.environ, "CERTPREP_DATA_DIR": str(self.data), "CERTPREP_PORT": str(self.port)}
        env.pop("CERTPREP_DATABASE_URL", None)
        if self.database_url:
            env["CERTPREP_DATABASE_URL"] = self.database_url
        return env

    def account(self, *args: str) -> str:
        """`certprep account ARGS` against this server's database: its last line of output."""
        done = subprocess.run(
            [sys.executable, "-m", "certprep", "account", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        return done.stdout.strip().splitlines()[-1]

    @property
    def headers(self) -> dict[str, str]:
        """The owner's access token as a header (made once the server runs)."""
        return {"Authorization": f"Bearer {self.token}"}

    def sign_in(self, page: Any, account: str | None = None) -> Any:
        """Sign a browser page in with a one-time link, as a person does after `certprep serve` prints one."""
        link = self.account("link", *(["--account", account] if account else []))
        page.goto(link.replace(f"http://127.0.0.1:{self.port}", self.url))
        return page

    def start(self) -> Server:
        env = self.env
        with (self.data / "server.log").open("ab") as log:
            self.proc = subprocess.Popen([*self.command], env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    if not self.token:
                        self.token = self.account("token", "e2e")
                    SERVERS[self.url] = self
                    return self
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError((self.data / "server.log").read_text()) from None
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


# One browser action may wait this long: the suite shares 2 cores with a second test worker.
PATIENCE_MS = 120_000


class Patient:
    """The browser, whose new pages and contexts wait up to PATIENCE_MS for an action, not Playwright's 30 s.

    The tests run beside a second pytest worker on a 2-core machine; a page that a loaded server answers in 40 s
    is slow, not broken, and the assertions that follow still decide whether it is right.
    """

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        context.set_default_timeout(PATIENCE_MS)
        context.set_default_navigation_timeout(PATIENCE_MS)
        return context

    def new_page(self, **options: Any) -> Any:
        context = self.new_context(**options)
        page = context.new_page()
        page.on("close", lambda _: context.close())
        return page


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    srv = Server(tmp_path_factory.mktemp("e2e-data")).start()
    yield srv.url
    srv.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("CERTPREP_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (CI installs the Debian package 'chromium')")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install -y chromium) or set CERTPREP_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield Patient(b)
        b.close()
