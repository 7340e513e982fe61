"""Roadmap planning over the built-in catalog."""

from __future__ import annotations

from datetime import date

from certprep.domain.catalog import Catalog, CertificationId
from certprep.domain.profile import HeldCertification, Holdings, derive_held
from certprep.domain.roadmap import goal_for_certification, goal_for_path, goal_for_role, plan_roadmap
from certprep.domain.roadmap_svg import render_svg

TODAY = date(2026, 11, 26)
EXPERT = "devops-engineer-expert"


def held(cert: str, earned: date | None, expires: date | None = None) -> HeldCertification:
    return HeldCertification(CertificationId(cert), earned, expires)


def test_nothing_held_lists_az104_first_with_the_reason(catalog: Catalog) -> None:
    r = plan_roadmap(catalog, goal_for_certification(catalog, EXPERT), Holdings(), today=TODAY)
    assert [s.exam for s in r.steps] == ["AZ-104", "AZ-400"]
    first = r.steps[0]
    assert first.reason == "prerequisite"
    assert "requires" in first.why and "retired on 2026-07-31" in first.why
    assert not r.eligible and r.targets[0].state == "locked"
    assert r.total_cost() == {"USD": 330}


def test_az104_held_is_eligible_once_az400_is_passed(catalog: Catalog) -> None:
    holdings = Holdings((held("azure-administrator-associate", date(2026, 3, 1), date(2027, 3, 1)),))
    r = plan_roadmap(catalog, goal_for_certification(catalog, "AZ-400"), holdings, today=TODAY)
    assert r.eligible and r.targets[0].state == "eligible"
    assert [s.exam for s in r.steps] == ["AZ-400"]
    assert "passing AZ-400" in r.targets[0].message


def test_retired_developer_associate_still_meets_prerequisite_with_note(catalog: Catalog) -> None:
    holdings = Holdings((held("azure-developer-associate", date(2026, 5, 1), date(2027, 5, 1)),))
    r = plan_roadmap(catalog, goal_for_certification(catalog, EXPERT), holdings, today=TODAY)
    assert r.eligible
    assert any("retired on 2026-07-31" in n and "cannot be renewed" in n for n in r.notes)
    line = next(e for e in r.expiries if e.certification == "azure-developer-associate")
    assert line.state == "retired"


def test_expert_exam_passed_without_associate_warns_and_stays_passed(catalog: Catalog) -> None:
    holdings = Holdings(passed_exams=(("AZ-400", date(2026, 10, 1)),))
    r = plan_roadmap(catalog, goal_for_certification(catalog, EXPERT), holdings, today=TODAY)
    assert any("You passed AZ-400" in w and "pass stays valid" in w for w in r.warnings)
    assert [s.exam for s in r.steps] == ["AZ-104", "AZ-400"] or [s.exam for s in r.steps] == ["AZ-104"]


def test_expert_granted_when_prerequisite_arrives_later(catalog: Catalog) -> None:
    holdings = Holdings(
        (held("azure-administrator-associate", date(2026, 11, 1)),),
        passed_exams=(("AZ-400", date(2026, 10, 1)),),
    )
    derived = derive_held(catalog, holdings, today=TODAY)
    assert derived[CertificationId(EXPERT)].earned_on == date(2026, 11, 1)
    assert derived[CertificationId(EXPERT)].expires_on == date(2027, 11, 1)


def test_expired_associate_counts_by_default_with_note(catalog: Catalog) -> None:
    holdings = Holdings((held("azure-administrator-associate", date(2024, 1, 1), date(2025, 1, 1)),))
    r = plan_roadmap(catalog, goal_for_certification(catalog, EXPERT), holdings, today=TODAY)
    assert r.eligible
    assert any("expired on 2025-01-01" in n for n in r.notes)


def test_reliability_lead_recommends_no_nonexistent_credential(catalog: Catalog) -> None:
    r = plan_roadmap(catalog, goal_for_role(catalog, "Reliability Lead"), Holdings(), today=TODAY)
    ids = {s.certification for s in r.steps}
    assert ids <= {c.id for c in catalog.certifications}
    assert all("monitor" not in c.lower() for c in ids)
    assert any("Azure Monitor Specialist" in n for n in catalog.role("reliability-lead").notes)


def test_role_with_retired_credential_plans_successor(catalog: Catalog) -> None:
    r = plan_roadmap(catalog, goal_for_role(catalog, "security lead"), Holdings(), today=TODAY)
    exams = [s.exam for s in r.steps]
    assert "SC-500" in exams and "AZ-500" not in exams


def test_path_lookup_by_name_and_steps_ordered_prerequisites_first(catalog: Catalog) -> None:
    r = plan_roadmap(catalog, goal_for_path(catalog, "DevSecOps"), Holdings(), today=TODAY)
    exams = [s.exam for s in r.steps]
    assert exams.index("AZ-104") < exams.index("AZ-400")
    assert len(exams) == len(set(exams))


def test_svg_styles_states_and_draws_prerequisite_arrows(catalog: Catalog) -> None:
    h = derive_held(
        catalog, Holdings((held("azure-administrator-associate", date(2026, 3, 1)),)), today=TODAY
    )
    svg = render_svg(catalog, h, today=TODAY)
    assert svg.startswith("<svg") and "<script" not in svg
    assert 'data-id="azure-administrator-associate" data-state="held"' in svg
    assert 'data-id="devops-engineer-expert" data-state="eligible"' in svg
    assert 'data-id="azure-developer-associate" data-state="retired"' in svg
    assert 'data-id="cybersecurity-architect-expert" data-state="locked"' in svg
    assert svg.count('class="edge prerequisite"') == 6
