"""Rows <-> teams, their members and invitations. Adds to the session; never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from certprep.db.tables import AccountRow, InvitationRow, TeamMemberRow, TeamRow
from certprep.domain.teams import Team


def team_row(session: Session, team_id: str) -> TeamRow | None:
    return session.get(TeamRow, team_id)


def team_by_name(session: Session, name: str) -> TeamRow | None:
    return session.scalars(select(TeamRow).where(TeamRow.name == name)).first()


def to_team(session: Session, row: TeamRow) -> Team:
    count = session.scalar(
        select(func.count()).select_from(TeamMemberRow).where(TeamMemberRow.team_id == row.id)
    )
    return Team(row.id, row.name, int(count or 0))


def all_teams(session: Session) -> list[TeamRow]:
    return list(session.scalars(select(TeamRow).order_by(TeamRow.name)))


def teams_managed_by(session: Session, account_id: str) -> list[TeamRow]:
    return list(
        session.scalars(
            select(TeamRow)
            .join(TeamMemberRow, TeamMemberRow.team_id == TeamRow.id)
            .where(TeamMemberRow.account_id == account_id, TeamMemberRow.role == "manager")
            .order_by(TeamRow.name)
        )
    )


def membership(session: Session, team_id: str, account_id: str) -> TeamMemberRow | None:
    return session.get(TeamMemberRow, (team_id, account_id))


def members_of(session: Session, team_id: str) -> list[tuple[TeamMemberRow, AccountRow]]:
    found = session.execute(
        select(TeamMemberRow, AccountRow)
        .join(AccountRow, AccountRow.id == TeamMemberRow.account_id)
        .where(TeamMemberRow.team_id == team_id)
        .order_by(AccountRow.username)
    )
    return [(m, a) for m, a in found]


def manages(session: Session, manager_id: str, learner_id: str) -> bool:
    """Whether `manager_id` manages a team that `learner_id` belongs to."""
    mine = select(TeamMemberRow.team_id).where(
        TeamMemberRow.account_id == manager_id, TeamMemberRow.role == "manager"
    )
    found = session.scalar(
        select(func.count())
        .select_from(TeamMemberRow)
        .where(TeamMemberRow.account_id == learner_id, TeamMemberRow.team_id.in_(mine))
    )
    return bool(found)


def add_member(session: Session, team_id: str, account_id: str, role: str, now: datetime) -> TeamMemberRow:
    row = membership(session, team_id, account_id)
    if row is None:
        row = TeamMemberRow(team_id=team_id, account_id=account_id, role=role, joined_at=now)
        session.add(row)
    else:
        row.role = role
    return row


def add_invitation(
    session: Session,
    *,
    digest: str,
    team_id: str,
    role: str,
    created_by: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        InvitationRow(
            id=digest,
            team_id=team_id,
            role=role,
            created_by=created_by,
            created_at=now,
            expires_at=expires_at,
        )
    )


def invitation_row(session: Session, digest: str) -> InvitationRow | None:
    return session.get(InvitationRow, digest)
