"""Signing in and out, the one-time login link, the account page (password, access tokens) and, for admins, new
accounts with their invitation link; `GET /api/v1/account` and `POST /api/v1/account/tokens` for the API."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from certprep.domain.accounts import SESSION_LIFETIME
from certprep.domain.links import local_path
from certprep.errors import CertprepError, NotSignedIn
from certprep.services import accounts as svc
from certprep.web import render
from certprep.web.access import OWN, PUBLIC, RuledRoute
from certprep.web.auth import COOKIE, who
from certprep.web.schemas import ERRORS

# Signing in and out: open to anyone (the login form, a one-time link, logging out).
public = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[PUBLIC])
router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[OWN])
api = APIRouter(route_class=RuledRoute, tags=["account"], responses=ERRORS, dependencies=[OWN])
Text = Annotated[str, Form(max_length=1024)]


def signed_in_response(request: Request, signed: svc.SignedIn, to: str = "/") -> RedirectResponse:
    """Redirect to `to` with the new session's cookie (HttpOnly, SameSite=Lax, Secure under HTTPS)."""
    response = RedirectResponse(to, status_code=303)
    response.set_cookie(
        COOKIE,
        signed.cookie,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@public.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render.page(request, "login.html", error=None, username="", next=local_path(next))


@public.post("/login", response_class=HTMLResponse)
def login(request: Request, username: Text = "", password: Text = "", next: Text = "/") -> Response:
    state = request.app.state
    try:
        signed = svc.login(
            state.db, username=username, password=password, address=_address(request), now=state.now()
        )
    except CertprepError as e:
        return render.page(
            request, "login.html", e.status, error=e.message, username=username[:64], next=local_path(next)
        )
    return signed_in_response(request, signed, local_path(next))


@public.get("/login/link/{token}")
def login_link(request: Request, token: Annotated[str, Path(min_length=10, max_length=100)]) -> Response:
    """The one-time link printed at first start (or an invitation): it signs in once, then never again."""
    state = request.app.state
    try:
        signed = svc.use_login_link(state.db, token=token, now=state.now())
    except CertprepError as e:
        return render.page(request, "login.html", e.status, error=e.message, username="", next="/")
    return signed_in_response(request, signed, "/account")


@public.post("/logout")
def logout(request: Request) -> Response:
    state = request.app.state
    if COOKIE in request.cookies:
        svc.logout(state.db, cookie=request.cookies[COOKIE], now=state.now())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _account_page(request: Request, status: int = 200, **extra: Any) -> HTMLResponse:
    return render.page(
        request,
        "account.html",
        status,
        me=who(request),
        **({"error": None, "token": None} | extra),
    )


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request) -> HTMLResponse:
    return _account_page(request)


def _me(request: Request) -> svc.Who:
    w = who(request)
    if w is None:
        raise NotSignedIn("sign in first")
    return w


@router.post("/account/password", response_class=HTMLResponse)
def set_password(request: Request, password: Text = "") -> Response:
    state = request.app.state
    try:
        me = _me(request)
        svc.set_password(state.db, account_id=me.account.id, password=password, now=state.now())
    except CertprepError as e:
        return _account_page(request, e.status, error={"form": "password", "message": e.message})
    return RedirectResponse("/login", status_code=303)  # a new password signs every session out, this one too


@router.post("/account/tokens", response_class=HTMLResponse)
def new_token(request: Request, name: Text = "", scope: Text = "write") -> Response:
    state = request.app.state
    try:
        me = _me(request)
        token = svc.create_token(
            state.db,
            account_id=me.account.id,
            name=name,
            scopes=["read"] if scope == "read" else ["read", "write"],
            now=state.now(),
        )
    except CertprepError as e:
        return _account_page(request, e.status, error={"form": "token", "message": e.message})
    return _account_page(request, token=token)


@router.get("/account/export.json")
def export_page(request: Request) -> Response:
    """Everything stored about the signed-in account, as a JSON download."""
    me = _me(request)
    body = json.dumps(svc.export_data(request.app.state.db, account_id=me.account.id), indent=1, default=str)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="certprep-{me.account.username}.json"'},
    )


@router.post("/account/delete", response_class=HTMLResponse)
def delete_page(request: Request, confirm: Text = "") -> Response:
    state = request.app.state
    me = _me(request)
    try:
        svc.delete_account(state.db, actor=me.account, account_id=me.account.id, confirm=confirm)
    except CertprepError as e:
        return _account_page(request, e.status, error={"form": "delete", "message": e.message})
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


class AccountOut(BaseModel):
    id: str
    username: str
    role: str
    via: str


class NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    scopes: list[Literal["read", "write"]] = Field(
        default=["read", "write"], min_length=1, description='"read" alone: GET requests only'
    )


class TokenOut(BaseModel):
    token: str = Field(description="shown once: only its hash is kept")


@api.get("/account", response_model=AccountOut)
def me(request: Request) -> AccountOut:
    """The signed-in account (401 when neither a session nor a token is sent)."""
    w = _me(request)
    return AccountOut(id=w.account.id, username=w.account.username, role=w.account.role, via=w.via)


@api.post("/account/tokens", status_code=201, response_model=TokenOut)
def create_token(request: Request, body: NewToken) -> TokenOut:
    state = request.app.state
    w = _me(request)
    return TokenOut(
        token=svc.create_token(
            state.db, account_id=w.account.id, name=body.name, scopes=list(body.scopes), now=state.now()
        )
    )


class DeleteAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    confirm: str = Field(min_length=1, max_length=64, description="the account's username, to confirm")


class ExportOut(BaseModel):
    tables: dict[str, list[dict[str, Any]]] = Field(description="every stored row about you, table by table")


@api.get("/account/export", response_model=ExportOut)
def export_data(request: Request) -> ExportOut:
    """Everything stored about you (secrets and their hashes left out)."""
    return ExportOut(tables=svc.export_data(request.app.state.db, account_id=_me(request).account.id))


@api.post("/account/delete", status_code=204)
def delete_account(request: Request, body: DeleteAccount) -> Response:
    """Delete your account and every row of your preparation (the last admin cannot)."""
    me = _me(request)
    svc.delete_account(request.app.state.db, actor=me.account, account_id=me.account.id, confirm=body.confirm)
    return Response(status_code=204)
