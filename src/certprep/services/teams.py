"""Teams: make one, invite by link, join, add and remove members, and the manager's view of a team (with its CSV).

Who may see a team: an admin, any team; a manager, the teams they manage. Anyone else asking for a team is told it
does not exist (404), so a refusal says nothing about which teams exist.
"""

from __future__ import annotations

import csv
import io
import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from certprep.db import accounts as account_rows
from certprep.db import plans as plan_rows
from certprep.db import teams as rows
from certprep.db.profile import ensure_learner, load_bookings, load_credentials, load_sittings
from certprep.db.tables import TeamRow
from certprep.domain.accounts import Account, check_password, check_username, may
from certprep.domain.catalog import Catalog
from certprep.domain.cells import safe_cell
from certprep.domain.items import Bank
from certprep.domain.plain import to_plain
from certprep.domain.policy import retake_decision
from certprep.domain.teams import (
    INVITATION_LIFETIME,
    MemberSummary,
    Team,
    TeamView,
    certifications_in,
    check_member_role,
    check_team_name,
    expiring_soon,
    readiness_band,
    team_figures,
)
from certprep.errors import Forbidden, InvalidInput, NotFound
from certprep.services.accounts import HASHER, SignedIn, digest, new_session
from certprep.services.database import Database
from certprep.services.readiness import estimate

EXPERT = "devops-engineer-expert"


def _visible(session: Session, actor: Account, team_id: str) -> TeamRow:
    """The team when the actor may manage it; 404 otherwise (the same answer as for a team that does not exist)."""
    row = rows.team_row(session, team_id)
    if row is not None and may(actor.role, "accounts"):
        return row
    if row is not None and may(actor.role, "team"):
        member = rows.membership(session, team_id, actor.id)
        if member is not None and member.role == "manager":
            return row
    raise NotFound(f"no team {team_id[:40]!r}", team=team_id[:40])


def create_team(db: Database, *, actor: Account, name: str, now: datetime) -> Team:
    """A manager or an admin makes a team; its maker manages it."""
    if not may(actor.role, "team"):
        raise Forbidden("only managers and admins make teams")
    clean = check_team_name(name)
    with db.transaction() as session:
        if rows.team_by_name(session, clean) is not None:
            raise InvalidInput(f"a team named {clean!r} exists already", field="name")
        row = TeamRow(id="t-" + secrets.token_hex(6), name=clean, created_at=now)
        session.add(row)
        session.flush()
        rows.add_member(session, row.id, actor.id, "manager", now)
        session.flush()
        return rows.to_team(session, row)


def list_teams(db: Database, *, actor: Account) -> list[Team]:
    """The teams the actor may see: every team for an admin, the managed ones for a manager, none otherwise."""
    with db.transaction() as session:
        if may(actor.role, "accounts"):
            found = rows.all_teams(session)
        elif may(actor.role, "team"):
            found = rows.teams_managed_by(session, actor.id)
        else:
            found = []
        return [rows.to_team(session, r) for r in found]


def invite(db: Database, *, actor: Account, team_id: str, role: str, now: datetime) -> str:
    """A one-time invitation link token to join a team as a member (or a manager), valid for 7 days."""
    kind = check_member_role(role)
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        _visible(session, actor, team_id)
        rows.add_invitation(
            session,
            digest=digest(token),
            team_id=team_id,
            role=kind,
            created_by=actor.id,
            now=now,
            expires_at=now + INVITATION_LIFETIME,
        )
    return token


def _open_invitation(session: Session, token: str, now: datetime) -> tuple[str, str, str]:
    row = rows.invitation_row(session, digest(token))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise NotFound("this invitation is not valid (used, expired or unknown): ask for a new one")
    team = rows.team_row(session, row.team_id)
    assert team is not None
    return row.team_id, team.name, row.role


def invitation(db: Database, *, token: str, now: datetime) -> tuple[str, str]:
    """The team name and role an invitation offers (404 when used, expired or unknown)."""
    with db.reading() as session:
        _team, name, role = _open_invitation(session, token, now)
        return name, role


def accept_invitation(db: Database, *, token: str, account_id: str, now: datetime) -> Team:
    """The signed-in account joins the invitation's team; the link is used up."""
    with db.transaction() as session:
        team_id, _name, role = _open_invitation(session, token, now)
        row = rows.invitation_row(session, digest(token))
        assert row is not None
        row.used_at = now
        rows.add_member(session, team_id, account_id, role, now)
        session.flush()
        team = rows.team_row(session, team_id)
        assert team is not None
        return rows.to_team(session, team)


def join_with_new_account(
    db: Database, *, token: str, username: str, password: str, now: datetime
) -> SignedIn:
    """Someone without an account accepts an invitation: a learner account with a password, signed in."""
    name = check_username(username)
    check_password(password)
    hashed = HASHER.hash(password)
    with db.transaction() as session:
        team_id, _name, role = _open_invitation(session, token, now)
        if account_rows.account_by_name(session, name) is not None:
            raise InvalidInput(f"the username {name!r} is taken", field="username")
        invitation_row = rows.invitation_row(session, digest(token))
        assert invitation_row is not None
        invitation_row.used_at = now
        account_id = "u-" + secrets.token_hex(8)
        ensure_learner(session, account_id, now=now)
        account = account_rows.add_account(
            session, account_id, name, "manager" if role == "manager" else "learner", hashed, now
        )
        session.flush()
        rows.add_member(session, team_id, account_id, role, now)
        cookie, csrf = new_session(session, account_id, now)
        return SignedIn(account_rows.to_account(account), cookie, csrf)


def add_member(
    db: Database, *, actor: Account, team_id: str, username: str, role: str, now: datetime
) -> Team:
    """Put an existing account into a team (or change its team role)."""
    kind = check_member_role(role)
    with db.transaction() as session:
        team = _visible(session, actor, team_id)
        account = account_rows.account_by_name(session, username.strip().lower())
        if account is None:
            raise NotFound(f"no account named {username[:64]!r}", field="username")
        rows.add_member(session, team_id, account.id, kind, now)
        session.flush()
        return rows.to_team(session, team)


def remove_member(db: Database, *, actor: Account, team_id: str, account_id: str) -> Team:
    with db.transaction() as session:
        team = _visible(session, actor, team_id)
        member = rows.membership(session, team_id, account_id)
        if member is None:
            raise NotFound(f"no member {account_id[:64]!r} in this team", field="account")
        session.delete(member)
        session.flush()
        return rows.to_team(session, team)


def team_view(
    db: Database, *, actor: Account, team_id: str, catalog: Catalog, bank: Bank, now: datetime
) -> TeamView:
    """What a manager sees of a team: per member a summary (bands, dates, progress), and figures for 5 or more."""
    today = now.date()
    associates = set(certifications_in(catalog.certification(EXPERT).requires))
    with db.transaction() as session:
        team = _visible(session, actor, team_id)
        members = []
        for member, account in rows.members_of(session, team_id):
            held = load_credentials(session, account.id)
            names = {h.certification: catalog.get(h.certification).name for h in held}
            sittings = load_sittings(session, account.id)
            booked = [b for b in load_bookings(session, account.id) if b.scheduled_at >= now]
            readiness = estimate(session, catalog=catalog, bank=bank, learner_id=account.id, on=today)
            plan = plan_rows.active_plan(session, account.id)
            blocks = plan_rows.blocks_of(session, plan.id) if plan is not None else []
            failed = sorted({s.exam_code for s in sittings if not s.passed})
            waits = []
            by_cert = {h.certification: h for h in held}
            for exam in failed:
                got = by_cert.get(catalog.certification(exam).id)
                decision = retake_decision(
                    [s for s in sittings if s.exam_code == exam],
                    now=now,
                    certification_held=got is not None,
                    certification_expires_on=got.expires_on if got else None,
                )
                if decision.earliest is not None and decision.earliest > now:
                    waits.append(decision.earliest.date())
            renewals = tuple(sorted((names[h.certification], h.expires_on) for h in held if h.expires_on))
            members.append(
                MemberSummary(
                    account_id=account.id,
                    username=account.username,
                    role=check_member_role(member.role),
                    associate=next(
                        (names[h.certification] for h in held if h.certification in associates), None
                    ),
                    exam_on=booked[0].scheduled_at.date() if booked else None,
                    band=readiness_band(to_plain(readiness) if readiness else None),
                    plan_done=sum(1 for b in blocks if b.done_at is not None),
                    plan_total=len(blocks),
                    retake_from=min(waits) if waits else None,
                    renewals=renewals,
                    expiring=expiring_soon(renewals, today),
                )
            )
        summaries = tuple(members)
        return TeamView(rows.to_team(session, team), summaries, team_figures(summaries))


CSV_HEADER = (
    "username",
    "team role",
    "associate held",
    "exam date",
    "readiness band",
    "plan progress %",
    "retake from",
    "renewals",
    "expiring in 6 months",
)


def team_csv(view: TeamView) -> str:
    """The manager's view as CSV (the same columns as the page; no answers, no numbers behind the bands)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for m in view.members:
        writer.writerow(
            [
                safe_cell(m.username),
                m.role,
                safe_cell(m.associate or ""),
                m.exam_on.isoformat() if m.exam_on else "",
                m.band,
                "" if m.plan_percent is None else m.plan_percent,
                m.retake_from.isoformat() if m.retake_from else "",
                "; ".join(f"{safe_cell(n)} {d.isoformat()}" for n, d in m.renewals),
                "; ".join(f"{safe_cell(n)} {d.isoformat()}" for n, d in m.expiring),
            ]
        )
    return out.getvalue()
