"""The built-in catalog's facts and the outline versions."""

from __future__ import annotations

from datetime import date

import pytest

from certprep.domain.catalog import Catalog, diff_outlines
from certprep.errors import UnknownReference

REQUIRED = [
    "AZ-900",
    "AZ-104",
    "AZ-204",
    "AI-200",
    "AZ-305",
    "AZ-400",
    "AZ-500",
    "SC-500",
    "AZ-700",
    "DP-203",
    "DP-700",
    "AI-300",
    "SC-100",
    "GH-200",
    "GH-500",
    "FOCP",
]


def test_catalog_holds_every_required_certification(catalog: Catalog) -> None:
    for code in REQUIRED:
        assert catalog.certification(code.lower()).exam.code == code


def test_retirements_and_successors(catalog: Catalog) -> None:
    az204 = catalog.certification("AZ-204")
    assert az204.retired_on == date(2026, 7, 31) and catalog.get(az204.successor).exam.code == "AI-200"
    assert catalog.get(catalog.certification("AZ-500").successor).exam.code == "SC-500"
    assert catalog.get(catalog.certification("DP-203").successor).exam.code == "DP-700"


def test_prices_and_validity_follow_the_facts(catalog: Catalog) -> None:
    assert str(catalog.certification("AZ-400").exam.price.for_country()) == "USD 165"
    assert str(catalog.certification("FOCP").exam.price.for_country()) == "USD 325"
    assert catalog.certification("GH-200").exam.price.for_country() is None
    assert catalog.certification("AZ-104").validity.months == 12
    assert catalog.certification("AZ-900").validity.kind == "never"
    for code in ("GH-200", "GH-500", "FOCP"):
        assert catalog.certification(code).validity.kind == "unknown"


def test_current_outline_has_86_objectives_in_five_weighted_groups(catalog: Catalog) -> None:
    outline = catalog.outline("AZ-400")
    assert outline.version == date(2026, 7, 27)
    assert len(outline.objectives) == 86
    assert [g.weight for g in outline.groups] == [(10, 15), (10, 15), (50, 55), (10, 15), (5, 10)]


def test_outline_diff_2026_04_to_07_lists_the_four_rewordings(catalog: Catalog) -> None:
    old, new = catalog.outline("AZ-400", date(2026, 4, 24)), catalog.outline("AZ-400", date(2026, 7, 27))
    changes = diff_outlines(old, new)
    assert {c.kind for c in changes} == {"reworded"}
    assert {c.objective for c in changes} == {
        "github-advanced-security",
        "dependabot-alerts",
        "telemetry-collection",
        "distributed-tracing",
    }
    assert all(v == k for k, v in new.map_to_previous(old).items())


def test_seven_domain_outline_is_kept_at_domain_level(catalog: Catalog) -> None:
    old = catalog.outline("AZ-400", date(2021, 5, 25))
    assert len(old.groups) == 7 and old.objectives == ()
    assert any("SRE" in g.title for g in old.groups)


def test_localised_exams_follow_the_outline_eight_weeks_late(catalog: Catalog) -> None:
    day = date(2026, 8, 20)
    assert catalog.outline_for_sitting("AZ-400", "en", day).version == date(2026, 7, 27)
    assert catalog.outline_for_sitting("AZ-400", "ja", day).version == date(2026, 4, 24)
    assert catalog.outline_for_sitting("AZ-400", "ja", date(2026, 9, 21)).version == date(2026, 7, 27)


def test_lookups_are_case_insensitive_and_unknowns_name_the_reference(catalog: Catalog) -> None:
    assert catalog.role("RELIABILITY LEAD").id == "reliability-lead"
    assert catalog.path("aiops / mlops").id == "aiops-mlops"
    with pytest.raises(UnknownReference, match="'azure monitor specialist'"):
        catalog.role("azure monitor specialist")


def test_source_document_corrections_are_in_the_pack(catalog: Catalog) -> None:
    ids = {c.id for c in catalog.corrections}
    assert {"azure-monitor-specialist", "dp-203", "az-500", "seven-domains", "prerequisite"} <= ids


def test_price_country_override_falls_back_to_default() -> None:
    from certprep.domain.catalog import Money, Price, Provenance

    price = Price(Money(165, "USD"), Provenance(date(2026, 10, 9), "test"), (("IN", Money(4800, "INR")),))
    assert str(price.for_country("in")) == "INR 4800"
    assert str(price.for_country("FR")) == "USD 165"
    assert Price(None, Provenance(date(2026, 10, 9), "test")).for_country("US") is None
