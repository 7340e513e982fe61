"""The admin page: every account with its role and state, new accounts with their one-time sign-in link, roles
changed, accounts disabled, extra time granted to any learner; the same under /api/v1/accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from certprep.errors import CertprepError
from certprep.services import accounts as svc
from certprep.web import render
from certprep.web.access import ACCOUNTS, RuledRoute, asker
from certprep.web.schemas import ERRORS
from certprep.web.team_pages import grant_extra_time

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[ACCOUNTS])
api = APIRouter(route_class=RuledRoute, tags=["accounts"], responses=ERRORS, dependencies=[ACCOUNTS])
Text = Annotated[str, Form(max_length=1024)]
AccountId = Annotated[str, Path(min_length=1, max_length=64)]


def _admin_page(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    lines = svc.list_accounts(request.app.state.db, actor=asker(request))
    return render.page(
        request, "admin.html", status, lines=lines, **({"error": None, "made": None, "note": None} | extra)
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request) -> HTMLResponse:
    return _admin_page(request)


@router.post("/admin/accounts", response_class=HTMLResponse)
def new_account(request: Request, username: Text = "", role: Text = "learner") -> Response:
    state = request.app.state
    try:
        account, link = svc.create_account(state.db, username=username, role=role, now=state.now())
    except CertprepError as e:
        return _admin_page(request, e.status, error={"form": "account", "message": e.message})
    made = {
        "username": account.username,
        "role": account.role,
        "link": f"{request.base_url}login/link/{link}",
    }
    return _admin_page(request, made=made)


@router.post("/admin/accounts/{account_id}", response_class=HTMLResponse)
def change(request: Request, account_id: AccountId, role: Text = "", state: Text = "") -> Response:
    app = request.app.state
    try:
        svc.change_account(
            app.db,
            actor=asker(request),
            account_id=account_id,
            role=role or None,
            disabled={"disabled": True, "active": False}.get(state),
            now=app.now(),
        )
    except CertprepError as e:
        return _admin_page(request, e.status, error={"form": account_id, "message": e.message})
    return render.go("/admin")


@router.post("/admin/accounts/{account_id}/accommodation", response_class=HTMLResponse)
def accommodation(request: Request, account_id: AccountId, extra_minutes: Text = "") -> Response:
    try:
        minutes = grant_extra_time(request, account_id, extra_minutes)
    except CertprepError as e:
        return _admin_page(request, e.status, error={"form": account_id, "message": e.message})
    return _admin_page(request, note=f"Extra time set to {minutes} minutes.")


class AccountLineOut(BaseModel):
    id: str
    username: str
    role: str
    disabled: bool
    has_password: bool
    created_at: datetime


class NewAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    role: str = Field(default="learner", pattern="^(learner|manager|author|admin)$")


class NewAccountOut(BaseModel):
    account: AccountLineOut
    link: str = Field(description="one-time sign-in link (24 hours): the invitation")


class AccountChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str | None = Field(default=None, pattern="^(learner|manager|author|admin)$")
    disabled: bool | None = Field(default=None, strict=True)


def _line(line: svc.AccountLine) -> AccountLineOut:
    a = line.account
    return AccountLineOut(
        id=a.id,
        username=a.username,
        role=a.role,
        disabled=line.disabled,
        has_password=a.has_password,
        created_at=line.created_at,
    )


@api.get("/accounts", response_model=list[AccountLineOut])
def list_accounts(request: Request) -> list[AccountLineOut]:
    """Every account (admins only)."""
    return [_line(x) for x in svc.list_accounts(request.app.state.db, actor=asker(request))]


@api.post("/accounts", status_code=201, response_model=NewAccountOut)
def create_account(request: Request, body: NewAccount) -> NewAccountOut:
    state = request.app.state
    account, link = svc.create_account(state.db, username=body.username, role=body.role, now=state.now())
    line = svc.AccountLine(account, False, state.now())
    return NewAccountOut(account=_line(line), link=f"{request.base_url}login/link/{link}")


@api.patch("/accounts/{account_id}", response_model=AccountLineOut)
def change_account(request: Request, account_id: AccountId, body: AccountChange) -> AccountLineOut:
    """Change an account's role, or disable it (its sessions end); the last admin stays an admin."""
    state = request.app.state
    actor = asker(request)
    svc.change_account(
        state.db, actor=actor, account_id=account_id, role=body.role, disabled=body.disabled, now=state.now()
    )
    found = [x for x in svc.list_accounts(state.db, actor=actor) if x.account.id == account_id]
    return _line(found[0])
