"""The roadmap picture: an SVG graph of certifications, levels as columns, prerequisite arrows, styled by state.

Layout (a small layered drawing in the manner of Sugiyama et al., 1981): each level is a column; within a column,
certifications are ordered by the barycentre of their neighbours in the next column (sweeping left to right, then
right to left, keeping the order with the fewest crossings), and a certification with prerequisites sits level with
them when there is room. Boxes are sized to their text: names wrap onto lines of at most WRAP characters, and the
text width is estimated from the character count at the font size (`text_width`), rounded up so that no label is cut.
Arrows leave the right side of a box and enter the left side of the next.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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

FONT = 12  # px, the font size of every label in a box
REGULAR_EM, BOLD_EM = 0.6, 0.66  # generous average advances of a system-ui character, in em
WRAP = 28  # characters per line of a name
PAD, LINE_H, ROW_GAP, COL_GAP, LEFT, TOP, MIN_W = 10, 16, 16, 90, 20, 70, 160
SWEEPS = 4
STYLES = {
    "held": ("#d8f3dc", "#2d6a4f", ""),
    "eligible": ("#dbeafe", "#1d4ed8", ""),
    "locked": ("#f1f5f9", "#64748b", ""),
    "retired": ("#fde2e4", "#9d0208", "6 4"),
}


def text_width(text: str, *, bold: bool = False) -> float:
    """Estimated width in px of a label at FONT size: characters x a generous average advance."""
    return len(text) * FONT * (BOLD_EM if bold else REGULAR_EM)


@dataclass(frozen=True, slots=True)
class Box:
    """Where a certification is drawn: its heading (exam code and state), name lines, and rectangle."""

    cert: Certification
    state: str
    heading: str
    lines: tuple[str, ...]
    x: float
    y: float
    w: float
    h: float


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


def prerequisite_edges(catalog: Catalog) -> list[tuple[CertificationId, CertificationId]]:
    """(prerequisite, certification) pairs of the catalog, once each."""
    known = {c.id for c in catalog.certifications}
    edges = [(p, c.id) for c in catalog.certifications for p in referenced_certifications(c.requires)]
    return list(dict.fromkeys((p, c) for p, c in edges if p in known))


def order_columns(catalog: Catalog) -> list[list[Certification]]:
    """Certifications per level, ordered to keep prerequisite arrows from crossing."""
    columns = [
        sorted(
            (c for c in catalog.certifications if c.level == level), key=lambda c: (c.retired, c.exam.code)
        )
        for level in LEVELS
    ]
    initial = {c.id: i for col in columns for i, c in enumerate(col)}
    edges = prerequisite_edges(catalog)
    preds: dict[CertificationId, list[CertificationId]] = {}
    succs: dict[CertificationId, list[CertificationId]] = {}
    for p, c in edges:
        preds.setdefault(c, []).append(p)
        succs.setdefault(p, []).append(c)

    def resort(col: list[Certification], neighbours: Mapping[CertificationId, list[CertificationId]]) -> None:
        index = {c.id: i for column in columns for i, c in enumerate(column)}
        col.sort(
            key=lambda c: (
                (0, sum(index[n] for n in neighbours[c.id]) / len(neighbours[c.id]), initial[c.id])
                if neighbours.get(c.id)
                else (1, 0.0, initial[c.id])
            )
        )

    best, fewest = [list(col) for col in columns], count_crossings(columns, edges)
    for _ in range(SWEEPS):
        for col in columns[1:]:
            resort(col, preds)
        for col in reversed(columns[:-1]):
            resort(col, succs)
        crossings = count_crossings(columns, edges)
        if crossings < fewest:
            best, fewest = [list(col) for col in columns], crossings
    return best


def count_crossings(
    columns: Sequence[Sequence[Certification]], edges: Sequence[tuple[CertificationId, CertificationId]]
) -> int:
    """Pairs of arrows between the same two columns whose ends come in opposite orders."""
    where = {c.id: (ci, ri) for ci, col in enumerate(columns) for ri, c in enumerate(col)}
    spans = [(where[p], where[c]) for p, c in edges]
    return sum(
        1
        for i, ((a_col, a_row), (b_col, b_row)) in enumerate(spans)
        for (c_col, c_row), (d_col, d_row) in spans[i + 1 :]
        if (a_col, b_col) == (c_col, d_col) and (a_row - c_row) * (b_row - d_row) < 0
    )


def layout(
    catalog: Catalog, held: Mapping[CertificationId, HeldCertification], today: date
) -> tuple[dict[CertificationId, Box], list[float]]:
    """Every box, and the x of each column."""
    preds: dict[CertificationId, list[CertificationId]] = {}
    for p, c in prerequisite_edges(catalog):
        preds.setdefault(c, []).append(p)
    boxes: dict[CertificationId, Box] = {}
    xs: list[float] = []
    x = float(LEFT)
    for col in order_columns(catalog):
        texts = [_texts(catalog, cert, held, today) for cert in col]
        widths = [text_width(h, bold=True) for _, h, _ in texts] + [
            text_width(n) for *_, ls in texts for n in ls
        ]
        w = math.ceil(max([MIN_W, *widths])) + 2 * PAD
        bottom: float = TOP - ROW_GAP
        for cert, (state, heading, lines) in zip(col, texts, strict=True):
            h = 2 * PAD + LINE_H * (1 + len(lines))
            placed = [boxes[p] for p in preds.get(cert.id, []) if p in boxes]
            wanted = sum(b.y + b.h / 2 for b in placed) / len(placed) - h / 2 if placed else TOP
            y = max(wanted, bottom + ROW_GAP)
            boxes[cert.id] = Box(cert, state, heading, lines, x, y, w, h)
            bottom = y + h
        xs.append(x)
        x += w + COL_GAP
    return boxes, xs


def _texts(
    catalog: Catalog, cert: Certification, held: Mapping[CertificationId, HeldCertification], today: date
) -> tuple[str, str, tuple[str, ...]]:
    state = node_state(catalog, cert, held, today)
    extra = f" {cert.retired_on}" if state == "retired" else ""
    name = cert.name.removeprefix("Microsoft Certified: ")
    lines = tuple(textwrap.wrap(name, WRAP, break_long_words=False)) or (name,)
    return state, f"{cert.exam.code} · {state}{extra}", lines


def render_svg(
    catalog: Catalog,
    held: Mapping[CertificationId, HeldCertification],
    *,
    today: date,
    highlight: frozenset[CertificationId] = frozenset(),
) -> str:
    """An accessible, self-contained SVG document (no scripts, no external resources)."""
    boxes, xs = layout(catalog, held, today)
    width = round(xs[-1] + max([MIN_W + 2 * PAD, *(b.w for b in boxes.values())]) + LEFT)
    height = round(max([TOP, *(b.y + b.h for b in boxes.values())]) + 70)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="roadmap-title" font-family="system-ui, sans-serif" font-size="{FONT}">',
        '<title id="roadmap-title">Certification roadmap: levels as columns, arrows from prerequisite to '
        "certification</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#334155"/></marker></defs>',
    ]
    for x, level in zip(xs, LEVELS, strict=True):
        out.append(f'<text x="{x:g}" y="40" font-size="15" font-weight="bold">{level.title()}</text>')
    out += [_edge(catalog, boxes[p], boxes[c]) for p, c in prerequisite_edges(catalog)]
    out += [_node(b, b.cert.id in highlight) for b in boxes.values()]
    out += _legend(height - 25)
    out.append("</svg>")
    return "\n".join(out)


def _edge(catalog: Catalog, pre: Box, cert: Box) -> str:
    alternatives = isinstance(catalog.get(cert.cert.id).requires, AnyOf)
    x1, y1, x2, y2 = pre.x + pre.w, pre.y + pre.h / 2, cert.x, cert.y + cert.h / 2
    bend = (x2 - x1) / 2
    dash = ' stroke-dasharray="4 3"' if alternatives else ""
    return (
        f'<path class="edge prerequisite" d="M {x1:g} {y1:g} C {x1 + bend:g} {y1:g}, {x2 - bend:g} {y2:g}, '
        f'{x2:g} {y2:g}" fill="none" stroke="#334155"{dash} marker-end="url(#arrow)"><title>{escape(pre.cert.id)} '
        f"is a prerequisite of {escape(cert.cert.id)}{' (one of the alternatives)' if alternatives else ''}"
        "</title></path>"
    )


def _node(b: Box, highlighted: bool) -> str:
    fill, stroke, dash = STYLES[b.state]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    tx, baseline = b.x + PAD, b.y + PAD + FONT
    names = "".join(
        f'<text x="{tx:g}" y="{baseline + LINE_H * (i + 1):g}" fill="#0f172a">{escape(line)}</text>'
        for i, line in enumerate(b.lines)
    )
    return (
        f'<g class="node {b.state}" data-id="{escape(b.cert.id)}" data-state="{b.state}">'
        f"<title>{escape(b.cert.name)} ({escape(b.cert.exam.code)}): {escape(b.heading.split(' · ', 1)[1])}</title>"
        f'<rect x="{b.x:g}" y="{b.y:g}" width="{b.w:g}" height="{b.h:g}" rx="8" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{3 if highlighted else 1.5}"{dash_attr}/>'
        f'<text x="{tx:g}" y="{baseline:g}" font-weight="bold" fill="{stroke}">{escape(b.heading)}</text>{names}</g>'
    )


def _legend(y: float) -> list[str]:
    out = []
    for i, (state, (fill, stroke, dash)) in enumerate(STYLES.items()):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<rect x="{LEFT + i * 140}" y="{y - 12:g}" width="16" height="16" fill="{fill}" stroke="{stroke}"'
            f'{dash_attr}/><text x="{LEFT + 22 + i * 140}" y="{y + 1:g}">{state}</text>'
        )
    return out
