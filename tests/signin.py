"""Signing test clients in: the owner (admin, the local learner's id, as `certprep serve` creates it at first start)
or a new account of any role, each with a personal access token sent as `Authorization: Bearer`.

Tokens do not expire, so tests that move the clock weeks ahead stay signed in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from certprep.domain.accounts import Account
from certprep.services import accounts as svc
from certprep.services.profile import LOCAL_LEARNER

WHEN = datetime(2026, 11, 1, tzinfo=UTC)


def owner_headers(state: Any) -> dict[str, str]:
    """The owner's token header (creating the owner on a fresh database)."""
    svc.first_run(state.db, now=WHEN)
    token = svc.create_token(
        state.db, account_id=LOCAL_LEARNER, name="tests", scopes=["read", "write"], now=WHEN
    )
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: TestClient) -> TestClient:
    """Every later request of `client` acts for the owner."""
    client.headers.update(owner_headers(client.app.state))  # type: ignore[attr-defined]
    return client


def new_account(state: Any, username: str, role: str = "learner") -> tuple[Account, dict[str, str]]:
    """A new account of `role` and its token header."""
    svc.first_run(state.db, now=WHEN)
    account, _link = svc.create_account(state.db, username=username, role=role, now=WHEN)
    token = svc.create_token(
        state.db, account_id=account.id, name="tests", scopes=["read", "write"], now=WHEN
    )
    return account, {"Authorization": f"Bearer {token}"}
