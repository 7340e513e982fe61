"""Server-drawn SVG charts (no script): the mock exam trend of scaled scores against the pass mark."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from certprep.domain.scaling import PASS

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 560, 200, 44, 16, 12, 28


def _y(score: float) -> float:
    return PAD_T + (1000 - score) / 1000 * (H - PAD_T - PAD_B)


def trend_svg(trend: Sequence[tuple[str, int]]) -> Markup:
    """Scaled scores in date order as a line with its points, the 700 pass line and a text alternative."""
    if not trend:
        return Markup("")
    n = len(trend)
    step = (W - PAD_L - PAD_R) / max(n - 1, 1)
    xs = [PAD_L + (i * step if n > 1 else (W - PAD_L - PAD_R) / 2) for i in range(n)]
    points = " ".join(f"{x:.1f},{_y(s):.1f}" for x, (_, s) in zip(xs, trend, strict=True))
    summary = "; ".join(f"{day}: {score}" for day, score in trend)
    parts = [
        f'<svg viewBox="0 0 {W} {H}" role="img" aria-labelledby="trend-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="trend-title">Mock exam scaled scores, oldest first: {escape(summary)}. Pass mark {PASS}.</title>',
        f'<line x1="{PAD_L}" x2="{W - PAD_R}" y1="{_y(PASS):.1f}" y2="{_y(PASS):.1f}" stroke="#9a6700" '
        'stroke-dasharray="6 4"/>',
        f'<text x="{W - PAD_R}" y="{_y(PASS) - 4:.1f}" text-anchor="end" font-size="11" fill="#7a4f00">'
        f"pass {PASS}</text>",
    ]
    for tick in (0, 500, 1000):
        parts.append(
            f'<text x="{PAD_L - 6}" y="{_y(tick) + 4:.1f}" text-anchor="end" font-size="11" fill="#475569">{tick}</text>'
        )
    parts.append(f'<polyline points="{points}" fill="none" stroke="#1d4ed8" stroke-width="2"/>')
    for x, (day, score) in zip(xs, trend, strict=True):
        shape = "circle" if score >= PASS else "rect"  # pass and fail differ in shape, not only colour
        if shape == "circle":
            parts.append(f'<circle cx="{x:.1f}" cy="{_y(score):.1f}" r="4.5" fill="#2d6a4f"/>')
        else:
            parts.append(
                f'<rect x="{x - 4:.1f}" y="{_y(score) - 4:.1f}" width="8" height="8" fill="#9d0208"/>'
            )
        parts.append(
            f'<text x="{x:.1f}" y="{H - 8}" text-anchor="middle" font-size="10" fill="#475569">{escape(day[5:])}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
