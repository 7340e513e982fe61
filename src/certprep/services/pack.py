"""Pack checking use cases: validation, coverage of the current outline, outline changes and the items they touch,
and the freshness of the sources the bank cites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from certprep.domain.catalog import Catalog
from certprep.domain.cues import CueFigures, CueLine, cue_figures, cue_lines
from certprep.domain.freshness import DEFAULT_MAX_AGE_DAYS, FreshnessReport, freshness_report
from certprep.errors import PackInvalid, UnknownReference
from certprep.packs.catalog import load_catalog
from certprep.packs.check import CheckResult, check_pack
from certprep.packs.coverage import Coverage, TouchedChange, coverage, outline_changes
from certprep.packs.items import load_bank
from certprep.packs.sources import citations
from certprep.services.content import builtin_pack_path, get_bank, get_catalog, is_builtin_pack


@dataclass(frozen=True, slots=True)
class PackReport:
    result: CheckResult
    coverage: Coverage | None
    cues: CueFigures | None


def check_pack_folder(root: Path, *, today: date, strict_cues: bool | None = None) -> PackReport:
    """Every check over a pack folder, plus its coverage of the exam's current outline and its answer-cue figures.

    The cue limits are errors for the built-in pack (CI keeps it honest) and warnings for other packs unless
    `strict_cues` says otherwise.
    """
    if strict_cues is None:
        strict_cues = is_builtin_pack(root)
    result = check_pack(root, today=today, strict_cues=strict_cues)
    cov = None
    if result.catalog is not None and result.bank is not None:
        exam = _exam_with_outline(result.catalog)
        if exam:
            cov = coverage(result.bank, result.catalog.outline(exam))
    cues = cue_figures(result.bank.items) if result.bank is not None else None
    return PackReport(result, cov, cues)


def diff_pack_outlines(root: Path, old: date, new: date) -> list[TouchedChange]:
    """Objectives added, removed and reworded between two outline versions, with the items each touches."""
    catalog, problems = load_catalog(root)
    loaded = load_bank(root)
    errors = [p for p in [*problems, *loaded.problems] if p.severity == "error"]
    if catalog is None or errors:
        raise PackInvalid(f"{root}: the pack does not load", [str(p) for p in errors])
    exam = _exam_with_outline(catalog)
    if not exam:
        raise UnknownReference(f"{root}: the pack has no outline", reference=str(root))
    return outline_changes(loaded.bank, catalog.outline(exam, old), catalog.outline(exam, new))


@dataclass(frozen=True, slots=True)
class BankQuality:
    """What trainers and learners may see of a bank's quality: coverage of the outline and the answer-cue figures
    (aggregates only: the per-item cue messages name keys and stay with `certprep pack check`)."""

    coverage: Coverage
    cues: tuple[CueLine, ...]


def bank_quality(root: Path | None = None) -> BankQuality:
    """Coverage of the exam's current outline and the answer-cue figures of a loaded pack (the built-in one by
    default)."""
    catalog, bank = get_catalog(root), get_bank(root)
    exam = _exam_with_outline(catalog)
    if not exam:
        raise UnknownReference("the pack has no outline", reference=str(root or builtin_pack_path()))
    return BankQuality(coverage(bank, catalog.outline(exam)), cue_lines(cue_figures(bank.items)))


def source_freshness(
    root: Path | None = None, *, today: date, max_age_days: int = DEFAULT_MAX_AGE_DAYS
) -> FreshnessReport:
    """Every page the bank of a pack (the built-in one by default) cites, with its last check date, what cites it,
    and the citations older than `max_age_days` on `today`."""
    return freshness_report(citations(get_bank(root)), today=today, max_age_days=max_age_days)


def _exam_with_outline(catalog: Catalog) -> str | None:
    """The exam whose skills outline the pack carries (the first, as a pack holds one exam's bank)."""
    return next((c.exam.code for c in catalog.certifications if catalog.outline_versions(c.exam.code)), None)
