"""Teams, on SQLite and PostgreSQL: who sees a team, invitations used once, the manager's view of each member (the
Associate held, the exam date, a band, plan progress, retake and renewal dates), figures only from 5 learners,
accommodations granted by the learner's manager, and a learner's data exported and deleted."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from certprep.domain.accounts import Account
from certprep.domain.catalog import Catalog
from certprep.domain.teams import MemberSummary, Team, TeamView
from certprep.errors import Forbidden, InvalidInput, NotFound, PolicyViolation
from certprep.services import accounts, planning, profile, teams
from certprep.services.content import get_bank
from certprep.services.database import Database


def person(db: Database, now: datetime, name: str, role: str = "learner") -> Account:
    account, _link = accounts.create_account(db, username=name, role=role, now=now)
    return account


@pytest.fixture
def owner(db: Database, now: datetime) -> Account:
    return accounts.owner(db, now=now)


def view(db: Database, catalog: Catalog, actor: Account, team: Team, now: datetime) -> TeamView:
    return teams.team_view(db, actor=actor, team_id=team.id, catalog=catalog, bank=get_bank(), now=now)


def test_only_a_teams_managers_and_admins_see_it(
    db: Database, catalog: Catalog, now: datetime, owner: Account
) -> None:
    boss, other_boss = person(db, now, "boss", "manager"), person(db, now, "otherboss", "manager")
    ada = person(db, now, "ada")
    mine = teams.create_team(db, actor=boss, name="Platform", now=now)
    theirs = teams.create_team(db, actor=other_boss, name="Data", now=now)
    teams.add_member(db, actor=boss, team_id=mine.id, username="ada", role="member", now=now)
    assert [t.name for t in teams.list_teams(db, actor=boss)] == ["Platform"]
    assert [t.name for t in teams.list_teams(db, actor=owner)] == ["Data", "Platform"]
    assert teams.list_teams(db, actor=ada) == []
    assert [m.username for m in view(db, catalog, owner, mine, now).members] == ["ada", "boss"]
    for actor, team in ((other_boss, mine), (boss, theirs), (ada, mine)):
        with pytest.raises(NotFound, match="no team"):  # the same answer as for a team that does not exist
            view(db, catalog, actor, team, now)
    with pytest.raises(Forbidden):
        teams.create_team(db, actor=ada, name="Mine", now=now)
    with pytest.raises(InvalidInput, match="exists already"):
        teams.create_team(db, actor=boss, name="  Platform ", now=now)


def test_an_invitation_is_used_once_and_lasts_seven_days(db: Database, now: datetime) -> None:
    boss = person(db, now, "boss", "manager")
    team = teams.create_team(db, actor=boss, name="Platform", now=now)
    token = teams.invite(db, actor=boss, team_id=team.id, role="member", now=now)
    assert teams.invitation(db, token=token, now=now) == ("Platform", "member")
    taken = person(db, now, "ada")
    with pytest.raises(InvalidInput, match="taken"):  # nothing half-written: the link still works
        teams.join_with_new_account(db, token=token, username="ada", password="a long password!", now=now)
    signed = teams.join_with_new_account(
        db, token=token, username="bea", password="a long password!", now=now
    )
    assert signed.account.role == "learner" and signed.cookie
    with pytest.raises(NotFound, match="not valid"):
        teams.accept_invitation(db, token=token, account_id=taken.id, now=now)
    late = teams.invite(db, actor=boss, team_id=team.id, role="manager", now=now)
    with pytest.raises(NotFound, match="not valid"):
        teams.accept_invitation(db, token=late, account_id=taken.id, now=now + timedelta(days=7))
    assert (
        teams.accept_invitation(db, token=late, account_id=taken.id, now=now + timedelta(days=6)).members == 3
    )
    with pytest.raises(NotFound):
        teams.invite(
            db, actor=person(db, now, "stranger", "manager"), team_id=team.id, role="member", now=now
        )


def test_the_managers_view_of_a_member(db: Database, catalog: Catalog, now: datetime) -> None:
    boss = person(db, now, "boss", "manager")
    ada = person(db, now, "ada")
    team = teams.create_team(db, actor=boss, name="Platform", now=now)
    teams.add_member(db, actor=boss, team_id=team.id, username="ada", role="member", now=now)
    earned = now.date() - timedelta(days=365 - 30)  # an Associate that expires in about a month
    profile.record_certification(
        db, catalog=catalog, learner_id=ada.id, ref="AZ-104", earned_on=earned, now=now
    )
    failed_at = now - timedelta(hours=2)
    profile.record_sitting(
        db,
        catalog=catalog,
        learner_id=ada.id,
        exam="AZ-400",
        taken_at=failed_at,
        timezone="UTC",
        passed=False,
        score=612,
        now=now,
    )
    exam_at = now + timedelta(days=30)
    profile.book_exam(
        db,
        catalog=catalog,
        learner_id=ada.id,
        exam="AZ-400",
        scheduled_at=exam_at,
        timezone="UTC",
        language="en",
        now=now,
    )
    plan = planning.make_plan(
        db, catalog=catalog, learner_id=ada.id, now=now, preset="balanced", exam_day=exam_at.date()
    )
    first = plan.plan.blocks[0]
    planning.mark_block(db, catalog=catalog, learner_id=ada.id, block_id=first.id, done=True, now=now)
    [member] = [m for m in view(db, catalog, boss, team, now).members if m.username == "ada"]
    assert member.associate == catalog.certification("AZ-104").name
    assert member.exam_on == exam_at.date()
    assert member.band == "not enough evidence"  # no answers yet: a band, never a number
    assert (member.plan_done, member.plan_total) == (1, len(plan.plan.blocks))
    assert member.retake_from == (failed_at + timedelta(hours=24)).date()  # the first retake waits 24 hours
    [(name, expires)] = member.renewals
    assert name == catalog.certification("AZ-104").name and member.expiring == member.renewals
    assert expires - now.date() < timedelta(days=183)


def test_figures_only_from_five_learners(db: Database, catalog: Catalog, now: datetime) -> None:
    boss = person(db, now, "boss", "manager")
    team = teams.create_team(db, actor=boss, name="Platform", now=now)
    for n in range(4):
        person(db, now, f"learner{n}")
        teams.add_member(db, actor=boss, team_id=team.id, username=f"learner{n}", role="member", now=now)
    assert view(db, catalog, boss, team, now).figures is None  # 4 learners and their manager
    person(db, now, "learner4")
    teams.add_member(db, actor=boss, team_id=team.id, username="learner4", role="member", now=now)
    figures = view(db, catalog, boss, team, now).figures
    assert figures is not None and figures.learners == 5 and figures.booked == 0
    assert dict(figures.bands)["not enough evidence"] == 5


def test_an_accommodation_is_granted_by_the_learners_manager(
    db: Database, now: datetime, owner: Account
) -> None:
    boss, other_boss = person(db, now, "boss", "manager"), person(db, now, "otherboss", "manager")
    ada = person(db, now, "ada")
    team = teams.create_team(db, actor=boss, name="Platform", now=now)
    teams.add_member(db, actor=boss, team_id=team.id, username="ada", role="member", now=now)
    grant = profile.set_accommodation
    assert grant(db, learner_id=ada.id, minutes=30, now=now, actor_role="manager", actor_id=boss.id) == 30
    for actor in (other_boss, ada):
        with pytest.raises(Forbidden):
            grant(db, learner_id=ada.id, minutes=60, now=now, actor_role=actor.role, actor_id=actor.id)
    assert grant(db, learner_id=ada.id, minutes=45, now=now, actor_role="admin", actor_id=owner.id) == 45


def test_a_learner_exports_and_deletes_their_data(
    db: Database, catalog: Catalog, now: datetime, owner: Account
) -> None:
    ada = person(db, now, "ada")
    boss = person(db, now, "boss", "manager")
    team = teams.create_team(db, actor=boss, name="Platform", now=now)
    teams.add_member(db, actor=boss, team_id=team.id, username="ada", role="member", now=now)
    accounts.set_password(db, account_id=ada.id, password="a long password!", now=now)
    accounts.create_token(db, account_id=ada.id, name="laptop", scopes=["read"], now=now)
    profile.record_certification(
        db, catalog=catalog, learner_id=ada.id, ref="AZ-104", earned_on=None, now=now
    )
    data = accounts.export_data(db, account_id=ada.id)
    assert data["accounts"][0]["username"] == "ada" and "password_hash" not in data["accounts"][0]
    assert [t["name"] for t in data["api_tokens"]] == ["laptop"] and "id" not in data["api_tokens"][0]
    assert "sessions" not in data and data["team_members"][0]["team_id"] == team.id
    with pytest.raises(InvalidInput, match="username to confirm"):
        accounts.delete_account(db, actor=ada, account_id=ada.id, confirm="someone")
    with pytest.raises(Forbidden):
        accounts.delete_account(db, actor=boss, account_id=ada.id, confirm="ada")
    accounts.delete_account(db, actor=ada, account_id=ada.id, confirm="ADA")
    assert not any(accounts.export_data(db, account_id=ada.id).values())
    assert view(db, catalog, boss, team, now).team.members == 1
    with pytest.raises(PolicyViolation, match="last admin"):
        accounts.delete_account(db, actor=owner, account_id=owner.id, confirm="owner")


def test_the_csv_never_starts_a_cell_with_a_formula() -> None:
    member = MemberSummary("u-1", "@sum(a1)", "member", None, None, "not enough evidence", 0, 0, None, (), ())
    text = teams.team_csv(TeamView(Team("t-1", "Platform", 1), (member,), None))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["username", "team role", "associate held"] and rows[1][0] == "'@sum(a1)"
