"""The whole schema in one file. Every learner-owned row carries learner_id; times are UTC with time of day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which has no time zones) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class LearnerRow(Base):
    __tablename__ = "learners"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Accommodation: extra minutes on every mock exam (set in the profile, never by the exam request).
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # FSRS desired retention for the learner's review queue.
    retention: Mapped[float] = mapped_column(Float, default=0.9, server_default="0.9")


class CredentialRow(Base):
    """A certification the learner says they hold."""

    __tablename__ = "credentials"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[str] = mapped_column(String(100))
    earned_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SittingRow(Base):
    """A real exam sitting."""

    __tablename__ = "sittings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    exam_code: Mapped[str] = mapped_column(String(20))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    passed: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BookingRow(Base):
    """A booked real exam; one per learner and exam."""

    __tablename__ = "bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    exam_code: Mapped[str] = mapped_column(String(20))
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemRevisionRow(Base):
    """One revision of an item's scored content, keyed by its content hash; never updated or deleted."""

    __tablename__ = "item_revisions"
    revision: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(200), index=True)
    pack_id: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AttemptRow(Base):
    """A practice set or mock exam; its clock is the stored deadline."""

    __tablename__ = "attempts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    pack_id: Mapped[str] = mapped_column(String(100))
    exam_code: Mapped[str] = mapped_column(String(20))
    outline_version: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    extension_minutes: Mapped[int] = mapped_column(Integer, default=0)
    current_section: Mapped[int] = mapped_column(Integer, default=0)
    sections: Mapped[list[Any]] = mapped_column(JSON)
    seed: Mapped[int] = mapped_column(Integer)
    options: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    expired: Mapped[bool] = mapped_column(Boolean, default=False)


class FormEntryRow(Base):
    """One position of an attempt's stored form: item revision, section, choice order, exposure facts."""

    __tablename__ = "form_entries"
    __table_args__ = (PrimaryKeyConstraint("attempt_id", "position"),)
    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    section: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[str] = mapped_column(String(200), index=True)
    revision: Mapped[str] = mapped_column(ForeignKey("item_revisions.revision"))
    choice_order: Mapped[list[Any]] = mapped_column(JSON)
    scored: Mapped[bool] = mapped_column(Boolean)
    marked: Mapped[bool] = mapped_column(Boolean, default=False)
    seen_before: Mapped[int] = mapped_column(Integer, default=0)
    key_shown_before: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ResponseRow(Base):
    """The learner's current answer to one form position, with what calibration needs to know about it."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(200), index=True)
    revision: Mapped[str] = mapped_column(String(64))
    mode: Mapped[str] = mapped_column(String(16))
    response: Mapped[Any] = mapped_column(JSON)
    points: Mapped[int] = mapped_column(Integer)
    max_points: Mapped[int] = mapped_column(Integer)
    changes: Mapped[int] = mapped_column(Integer, default=0)
    time_on_item_ms: Mapped[int] = mapped_column(Integer, default=0)
    seen_before: Mapped[int] = mapped_column(Integer, default=0)
    key_shown_before: Mapped[bool] = mapped_column(Boolean, default=False)
    first_answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AnswerRequestRow(Base):
    """An answer request already applied: a retry with the same request id is recorded once."""

    __tablename__ = "answer_requests"
    __table_args__ = (PrimaryKeyConstraint("attempt_id", "request_id"),)
    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    request_id: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    acknowledgement: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReportRow(Base):
    """The snapshot of an attempt's score report; written once."""

    __tablename__ = "reports"
    attempt_id: Mapped[str] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    method_version: Mapped[str] = mapped_column(String(40))
    scaled: Mapped[int | None] = mapped_column(Integer, nullable=True)  # mock exams only
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ItemParameterRow(Base):
    """Item parameters with their provenance; a calibration adds rows and keeps the previous ones."""

    __tablename__ = "item_parameters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    item_id: Mapped[str] = mapped_column(String(200), index=True)
    model: Mapped[str] = mapped_column(String(8))
    a: Mapped[float] = mapped_column(Float)
    d: Mapped[float] = mapped_column(Float)
    c: Mapped[float] = mapped_column(Float)
    se_a: Mapped[float] = mapped_column(Float)
    se_d: Mapped[float] = mapped_column(Float)
    responses: Mapped[int] = mapped_column(Integer)
    provenance: Mapped[str] = mapped_column(String(100))
    calibrated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    current: Mapped[bool] = mapped_column(Boolean, index=True)


class CalibrationJobRow(Base):
    """A calibration run started from the author's page or the CLI: its progress while it runs (any worker process
    reads it) and its outcome. `slot` is 1 while the job is open and NULL once it ends; its unique constraint lets
    only one job be open at a time across every process."""

    __tablename__ = "calibration_jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slot: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    started_by: Mapped[str | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), nullable=True
    )  # NULL: started from the CLI, or by an account since deleted
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    iteration: Mapped[int] = mapped_column(Integer)
    log_likelihood: Mapped[float | None] = mapped_column(Float, nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)
    persons: Mapped[int | None] = mapped_column(Integer, nullable=True)
    items_updated: Mapped[int | None] = mapped_column(Integer, nullable=True)
    converged: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    held: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ReadinessRow(Base):
    """A readiness estimate after an attempt: the trend is the series of these."""

    __tablename__ = "readiness"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    theta: Mapped[float] = mapped_column(Float)
    sd: Mapped[float] = mapped_column(Float)
    predicted: Mapped[int] = mapped_column(Integer)
    low: Mapped[int] = mapped_column(Integer)
    high: Mapped[int] = mapped_column(Integer)
    pass_probability: Mapped[float] = mapped_column(Float)
    responses: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanRow(Base):
    """A study plan: its inputs (so it can be re-planned) and its verdict. One active plan per learner."""

    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "study" | "retake"
    goal: Mapped[str] = mapped_column(String(100))
    preset: Mapped[str | None] = mapped_column(String(20), nullable=True)
    start: Mapped[date] = mapped_column(Date)
    exam_day: Mapped[date] = mapped_column(Date)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)  # weekday hours, days off, group bars of a retake
    hours_needed: Mapped[float] = mapped_column(Float)
    hours_available: Mapped[float] = mapped_column(Float)
    realistic: Mapped[bool] = mapped_column(Boolean)
    advice: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, index=True)
    feed_token: Mapped[str] = mapped_column(
        String(64), unique=True
    )  # the calendar feed's unguessable address
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PlanBlockRow(Base):
    __tablename__ = "plan_blocks"
    __table_args__ = (PrimaryKeyConstraint("plan_id", "block_id"),)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    block_id: Mapped[str] = mapped_column(String(40))
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    activity: Mapped[str] = mapped_column(String(20))
    objective: Mapped[str | None] = mapped_column(String(200), nullable=True)
    hours: Mapped[float] = mapped_column(Float)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ReviewCardRow(Base):
    """A card in the learner's review queue: a flashcard or an item answered wrongly; FSRS state as JSON."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("learner_id", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(220))  # "card:<flashcard id>" or "item:<item id>"
    fsrs: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    reps: Mapped[int] = mapped_column(Integer, default=0)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReviewLogRow(Base):
    __tablename__ = "review_logs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id", ondelete="CASCADE"), index=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    grade: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    log: Mapped[dict[str, Any]] = mapped_column(JSON)


class AccountRow(Base):
    """A person who signs in; the account id is the learner id their preparation is stored under."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class SessionRow(Base):
    """A browser session, or a one-time login link (kind "link"); only the SHA-256 of the secret is stored."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie or link token
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # "session" | "link"
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ApiTokenRow(Base):
    """A personal access token for the JSON API and a remote CLI: hashed at rest, scoped, revocable."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the token
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LoginFailureRow(Base):
    """A failed login, by account name and by address, for throttling (shared by every worker)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class TeamRow(Base):
    """A team: members and their managers."""

    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class TeamMemberRow(Base):
    """An account in a team, as a member or as one of its managers."""

    __tablename__ = "team_members"
    __table_args__ = (PrimaryKeyConstraint("team_id", "account_id"),)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # "member" | "manager"
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class InvitationRow(Base):
    """A link that lets its holder join a team once (only the SHA-256 of its secret is stored)."""

    __tablename__ = "invitations"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class LabResultRow(Base):
    """A scored run of a lab's checks, recorded for a learner (on their machine or sent to a server by the CLI)."""

    __tablename__ = "lab_results"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), index=True)
    lab_id: Mapped[str] = mapped_column(String(64), index=True)
    score: Mapped[int] = mapped_column(Integer)
    complete: Mapped[bool] = mapped_column(Boolean)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{id, passed, message}] in the lab's order
    source: Mapped[str] = mapped_column(String(16))  # "local" (certprep lab check) | "submitted" (the API)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
