"""The roadmap picture: an SVG graph of certifications, levels as columns, prerequisite arrows, styled by state."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape

from certprep.domain.catalog import (
    LEVELS,
    AnyOf,
    Catalog,
    Certification,
    CertificationId,
    referenced_certifications,
)
from certprep.domain.profile import HeldCertification, requirement_met

COL_W, NODE_W, NODE_H, ROW_H, TOP = 260, 220, 54, 72, 70
STYLES = {
    "held": ("#d8f3dc", "#2d6a4f", ""),
    "eligible": ("#dbeafe", "#1d4ed8", ""),
    "locked": ("#f1f5f9", "#64748b", ""),
    "retired": ("#fde2e4", "#9d0208", "6 4"),
}


def node_state(
    catalog: Catalog, cert: Certification, held: Mapping[CertificationId, HeldCertification], today: date
) -> str:
    """held, eligible (prerequisites met), locked, or retired."""
    if cert.id in held:
        return "held"
    if cert.retired_by(today):
        return "retired"
    met = requirement_met(
        cert.requires, held, on=today, expired_counts=catalog.settings.expired_prerequisite_counts
    )
    return "eligible" if met else "locked"


def render_svg(
    catalog: Catalog,
    held: Mapping[CertificationId, HeldCertification],
    *,
    today: date,
    highlight: frozenset[CertificationId] = frozenset(),
) -> str:
    """An accessible, self-contained SVG document (no scripts, no external resources)."""
    columns: dict[str, list[Certification]] = {level: [] for level in LEVELS}
    for cert in catalog.certifications:
        columns[cert.level].append(cert)
    pos: dict[CertificationId, tuple[int, int]] = {}
    for ci, level in enumerate(LEVELS):
        for ri, cert in enumerate(sorted(columns[level], key=lambda c: (c.retired, c.exam.code))):
            pos[cert.id] = (20 + ci * COL_W, TOP + ri * ROW_H)
    height = TOP + max(len(c) for c in columns.values()) * ROW_H + 60
    width = 20 + len(LEVELS) * COL_W
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'role="img" aria-labelledby="roadmap-title" font-family="system-ui, sans-serif" font-size="12">',
        '<title id="roadmap-title">Certification roadmap: levels as columns, arrows from prerequisite to '
        "certification</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#334155"/></marker></defs>',
    ]
    for ci, level in enumerate(LEVELS):
        out.append(
            f'<text x="{20 + ci * COL_W}" y="40" font-size="15" font-weight="bold">{level.title()}</text>'
        )
    for cert in catalog.certifications:
        alternatives = isinstance(cert.requires, AnyOf)
        for pre in referenced_certifications(cert.requires):
            (x1, y1), (x2, y2) = pos[pre], pos[cert.id]
            dash = ' stroke-dasharray="4 3"' if alternatives else ""
            out.append(
                f'<path class="edge prerequisite" d="M {x1 + NODE_W} {y1 + NODE_H / 2} C {x1 + NODE_W + 30} '
                f'{y1 + NODE_H / 2}, {x2 - 30} {y2 + NODE_H / 2}, {x2} {y2 + NODE_H / 2}" fill="none" '
                f'stroke="#334155"{dash} marker-end="url(#arrow)"><title>{escape(pre)} is a prerequisite of '
                f"{escape(cert.id)}{' (one of the alternatives)' if alternatives else ''}</title></path>"
            )
    for cert in catalog.certifications:
        x, y = pos[cert.id]
        state = node_state(catalog, cert, held, today)
        fill, stroke, dash = STYLES[state]
        width_px = 3 if cert.id in highlight else 1.5
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = escape(cert.name.removeprefix("Microsoft Certified: "))
        extra = f" {cert.retired_on}" if state == "retired" else ""
        out.append(
            f'<g class="node {state}" data-id="{escape(cert.id)}" data-state="{state}">'
            f"<title>{escape(cert.name)} ({escape(cert.exam.code)}): {state}{escape(extra)}</title>"
            f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="8" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{width_px}"{dash_attr}/>'
            f'<text x="{x + 10}" y="{y + 20}" font-weight="bold" fill="{stroke}">{escape(cert.exam.code)} · {state}'
            f"{escape(extra)}</text>"
            f'<text x="{x + 10}" y="{y + 38}" fill="#0f172a">{label[:34]}{"…" if len(label) > 34 else ""}</text></g>'
        )
    ly = height - 25
    for i, (state, (fill, stroke, dash)) in enumerate(STYLES.items()):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<rect x="{20 + i * 140}" y="{ly - 12}" width="16" height="16" fill="{fill}" stroke="{stroke}"{dash_attr}/>'
            f'<text x="{42 + i * 140}" y="{ly + 1}">{state}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)
