"""Teams on the web: a manager's list of teams, a team's view (per member bands and dates, figures for 5 or more,
CSV), invitations by link, members added or removed, accommodations granted; the invitation page anyone with the
link opens; the same under /api/v1/teams. Every rule is the service's (services/teams.py)."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from certprep.domain.teams import Team, TeamView
from certprep.errors import CertprepError, InvalidInput, NotFound
from certprep.services import profile as profiles
from certprep.services import teams as svc
from certprep.services.content import get_bank
from certprep.web import render
from certprep.web.access import SECRET_LINK, TEAM, RuledRoute, asker
from certprep.web.account_pages import signed_in_response
from certprep.web.auth import who
from certprep.web.schemas import ERRORS

router = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[TEAM])
api = APIRouter(route_class=RuledRoute, tags=["teams"], responses=ERRORS, dependencies=[TEAM])
# The invitation page: the secret in the address is the key; joining needs an account (or makes one).
invitations = APIRouter(route_class=RuledRoute, include_in_schema=False, dependencies=[SECRET_LINK])
Text = Annotated[str, Form(max_length=1024)]
TeamId = Annotated[str, Path(min_length=1, max_length=40)]
AccountId = Annotated[str, Path(min_length=1, max_length=64)]
Token = Annotated[str, Path(min_length=10, max_length=100)]


def grant_extra_time(request: Request, account_id: str, text: str) -> int:
    """Grant a learner extra minutes from a form field (the service decides who may)."""
    state, actor = request.app.state, asker(request)
    if not text.strip().isdigit():
        raise InvalidInput(f"extra minutes must be a whole number, not {text[:20]!r}", field="extra_minutes")
    return profiles.set_accommodation(
        state.db,
        learner_id=account_id,
        minutes=int(text),
        now=state.now(),
        actor_role=actor.role,
        actor_id=actor.id,
    )


def _view(request: Request, team_id: str) -> TeamView:
    state = request.app.state
    return svc.team_view(
        state.db,
        actor=asker(request),
        team_id=team_id,
        catalog=state.catalog,
        bank=get_bank(state.bank_root),
        now=state.now(),
    )


def _teams_page(request: Request, status: int = 200, error: str | None = None) -> HTMLResponse:
    teams = svc.list_teams(request.app.state.db, actor=asker(request))
    return render.page(request, "teams.html", status, teams=teams, error=error)


@router.get("/teams", response_class=HTMLResponse)
def teams_page(request: Request) -> HTMLResponse:
    return _teams_page(request)


@router.post("/teams", response_class=HTMLResponse)
def make_team(request: Request, name: Text = "") -> Response:
    state = request.app.state
    try:
        team = svc.create_team(state.db, actor=asker(request), name=name, now=state.now())
    except CertprepError as e:
        return _teams_page(request, e.status, e.message)
    return render.go(f"/teams/{team.id}")


def _team_page(request: Request, team_id: str, status: int = 200, **extra: Any) -> HTMLResponse:
    return render.page(
        request,
        "team.html",
        status,
        view=_view(request, team_id),
        **({"error": None, "link": None, "note": None} | extra),
    )


@router.get("/teams/{team_id}", response_class=HTMLResponse)
def team_page(request: Request, team_id: TeamId) -> HTMLResponse:
    return _team_page(request, team_id)


@router.get("/teams/{team_id}/members.csv")
def team_csv(request: Request, team_id: TeamId) -> Response:
    view = _view(request, team_id)
    return Response(
        svc.team_csv(view),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="team-{view.team.id}.csv"'},
    )


@router.post("/teams/{team_id}/invitations", response_class=HTMLResponse)
def invite(request: Request, team_id: TeamId, role: Text = "member") -> Response:
    state = request.app.state
    try:
        token = svc.invite(state.db, actor=asker(request), team_id=team_id, role=role, now=state.now())
    except CertprepError as e:
        if e.status == 404:
            raise
        return _team_page(request, team_id, e.status, error={"form": "invite", "message": e.message})
    return _team_page(request, team_id, link=f"{request.base_url}invite/{token}")


@router.post("/teams/{team_id}/members", response_class=HTMLResponse)
def add_member(request: Request, team_id: TeamId, username: Text = "", role: Text = "member") -> Response:
    state = request.app.state
    try:
        svc.add_member(
            state.db, actor=asker(request), team_id=team_id, username=username, role=role, now=state.now()
        )
    except CertprepError as e:
        if e.status == 404 and e.data.get("team"):
            raise
        return _team_page(request, team_id, e.status, error={"form": "member", "message": e.message})
    return render.go(f"/teams/{team_id}")


@router.post("/teams/{team_id}/members/{account_id}/remove", response_class=HTMLResponse)
def remove_member(request: Request, team_id: TeamId, account_id: AccountId) -> Response:
    svc.remove_member(request.app.state.db, actor=asker(request), team_id=team_id, account_id=account_id)
    return render.go(f"/teams/{team_id}")


@router.post("/teams/{team_id}/members/{account_id}/accommodation", response_class=HTMLResponse)
def accommodation(
    request: Request, team_id: TeamId, account_id: AccountId, extra_minutes: Text = ""
) -> Response:
    view = _view(request, team_id)  # 404 unless the asker manages this team
    if account_id not in {m.account_id for m in view.members}:
        return _team_page(request, team_id, 404, error={"form": "accommodation", "message": "no such member"})
    try:
        minutes = grant_extra_time(request, account_id, extra_minutes)
    except CertprepError as e:
        return _team_page(request, team_id, e.status, error={"form": "accommodation", "message": e.message})
    return _team_page(request, team_id, note=f"Extra time set to {minutes} minutes.")


# --- the invitation link ---------------------------------------------------------------------------------------


@invitations.get("/invite/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: Token) -> HTMLResponse:
    state = request.app.state
    try:
        team, role = svc.invitation(state.db, token=token, now=state.now())
    except CertprepError as e:
        return render.page(
            request, "invite.html", e.status, error=e.message, team=None, role=None, token=token
        )
    return render.page(request, "invite.html", team=team, role=role, error=None, token=token)


@invitations.post("/invite/{token}", response_class=HTMLResponse)
def accept(request: Request, token: Token, username: Text = "", password: Text = "") -> Response:
    state = request.app.state
    w = who(request)
    try:
        if w is not None:
            team = svc.accept_invitation(state.db, token=token, account_id=w.account.id, now=state.now())
            return render.go("/" if w.account.role == "learner" else f"/teams/{team.id}")
        signed = svc.join_with_new_account(
            state.db, token=token, username=username, password=password, now=state.now()
        )
    except CertprepError as e:
        name, role = None, None
        with contextlib.suppress(CertprepError):  # the form again, with what the link still offers
            name, role = svc.invitation(state.db, token=token, now=state.now())
        return render.page(
            request, "invite.html", e.status, error=e.message, team=name, role=role, token=token
        )
    return signed_in_response(request, signed, "/")


# --- JSON API ----------------------------------------------------------------------------------------------------


class TeamOut(BaseModel):
    id: str
    name: str
    members: int


class MemberOut(BaseModel):
    account_id: str
    username: str
    role: str
    associate: str | None
    exam_on: date | None
    readiness_band: str
    plan_percent: int | None
    retake_from: date | None
    renewals: list[tuple[str, date]]
    expiring: list[tuple[str, date]]


class FiguresOut(BaseModel):
    learners: int
    with_associate: int
    booked: int
    mean_plan_percent: int | None
    bands: dict[str, int]


class TeamViewOut(BaseModel):
    team: TeamOut
    members: list[MemberOut]
    figures: FiguresOut | None = Field(description="only for 5 learners or more")


class NewTeam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)


class NewInvitation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: str = Field(default="member", pattern="^(member|manager)$")


class InvitationOut(BaseModel):
    url: str = Field(description="shown once: only its hash is kept; valid 7 days, for one person")


class NewMember(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    role: str = Field(default="member", pattern="^(member|manager)$")


class ExtraTime(BaseModel):
    model_config = ConfigDict(extra="forbid")
    extra_minutes: int = Field(strict=True, ge=0, le=240)


def _team_out(team: Team) -> TeamOut:
    return TeamOut(id=team.id, name=team.name, members=team.members)


@api.get("/teams", response_model=list[TeamOut])
def list_teams(request: Request) -> list[TeamOut]:
    """The teams you manage (every team for an admin)."""
    return [_team_out(t) for t in svc.list_teams(request.app.state.db, actor=asker(request))]


@api.post("/teams", status_code=201, response_model=TeamOut)
def create_team(request: Request, body: NewTeam) -> TeamOut:
    state = request.app.state
    return _team_out(svc.create_team(state.db, actor=asker(request), name=body.name, now=state.now()))


@api.get("/teams/{team_id}", response_model=TeamViewOut)
def get_team(request: Request, team_id: TeamId) -> TeamViewOut:
    """Per member: the Associate held, exam date, readiness band, plan progress, retake and renewal dates."""
    view = _view(request, team_id)
    f = view.figures
    return TeamViewOut(
        team=_team_out(view.team),
        members=[
            MemberOut(
                account_id=m.account_id,
                username=m.username,
                role=m.role,
                associate=m.associate,
                exam_on=m.exam_on,
                readiness_band=m.band,
                plan_percent=m.plan_percent,
                retake_from=m.retake_from,
                renewals=list(m.renewals),
                expiring=list(m.expiring),
            )
            for m in view.members
        ],
        figures=FiguresOut(
            learners=f.learners,
            with_associate=f.with_associate,
            booked=f.booked,
            mean_plan_percent=f.mean_plan_percent,
            bands=dict(f.bands),
        )
        if f
        else None,
    )


@api.post("/teams/{team_id}/invitations", status_code=201, response_model=InvitationOut)
def create_invitation(request: Request, team_id: TeamId, body: NewInvitation) -> InvitationOut:
    state = request.app.state
    token = svc.invite(state.db, actor=asker(request), team_id=team_id, role=body.role, now=state.now())
    return InvitationOut(url=f"{request.base_url}invite/{token}")


@api.post("/teams/{team_id}/members", response_model=TeamOut)
def put_member(request: Request, team_id: TeamId, body: NewMember) -> TeamOut:
    state = request.app.state
    team = svc.add_member(
        state.db,
        actor=asker(request),
        team_id=team_id,
        username=body.username,
        role=body.role,
        now=state.now(),
    )
    return _team_out(team)


@api.delete("/teams/{team_id}/members/{account_id}", response_model=TeamOut)
def delete_member(request: Request, team_id: TeamId, account_id: AccountId) -> TeamOut:
    team = svc.remove_member(
        request.app.state.db, actor=asker(request), team_id=team_id, account_id=account_id
    )
    return _team_out(team)


@api.put("/learners/{account_id}/accommodation", response_model=ExtraTime)
def grant_accommodation(request: Request, account_id: AccountId, body: ExtraTime) -> ExtraTime:
    """Extra minutes on every mock exam, granted by an admin or a manager of the learner's team (404 otherwise)."""
    state = request.app.state
    actor = asker(request)
    try:
        minutes = profiles.set_accommodation(
            state.db,
            learner_id=account_id,
            minutes=body.extra_minutes,
            now=state.now(),
            actor_role=actor.role,
            actor_id=actor.id,
        )
    except CertprepError as e:
        if e.status == 403:  # a manager of other teams: this learner is not one they can see
            raise NotFound(f"no learner {account_id[:64]!r} in your teams") from None
        raise
    return ExtraTime(extra_minutes=minutes)
