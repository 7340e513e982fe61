"""The roadmap picture as served: no label cut or outside its box, no boxes overlapping, no arrows crossing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from certprep.config import Settings
from certprep.domain.roadmap_svg import FONT, PAD, text_width
from certprep.web import create_app
from tests.signin import sign_in

NS = {"s": "http://www.w3.org/2000/svg"}
Point = tuple[float, float]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'w.sqlite3'}", data_dir=tmp_path))
    with TestClient(app) as c:
        sign_in(c)
        yield c


def picture(client: TestClient, **params: str) -> ET.Element:
    r = client.get("/roadmap.svg", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    return ET.fromstring(r.text)


def boxes(svg: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for g in svg.iterfind("s:g", NS):
        rect = g.find("s:rect", NS)
        assert rect is not None
        out[g.get("data-id", "")] = tuple(float(rect.get(k, "nan")) for k in ("x", "y", "width", "height"))
    return out  # type: ignore[return-value]


def edges(svg: ET.Element) -> list[tuple[Point, Point]]:
    out = []
    for path in svg.iterfind("s:path", NS):
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", path.get("d", ""))]
        out.append(((numbers[0], numbers[1]), (numbers[-2], numbers[-1])))
    return out


def cross(a: tuple[Point, Point], b: tuple[Point, Point]) -> bool:
    """Proper intersection of two segments (touching at a shared end, as arrows from one box do, is not one)."""

    def side(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    (p1, p2), (q1, q2) = a, b
    return side(p1, p2, q1) * side(p1, p2, q2) < 0 and side(q1, q2, p1) * side(q1, q2, p2) < 0


def test_segment_crossing_test_itself() -> None:
    assert cross(((0, 0), (10, 10)), ((0, 10), (10, 0)))
    assert not cross(((0, 0), (10, 0)), ((0, 5), (10, 5)))
    assert not cross(((0, 0), (10, 0)), ((0, 0), (10, 5)))  # same start


@pytest.mark.parametrize("params", [{}, {"goal": "devops-engineer-expert"}], ids=["default", "expert-goal"])
def test_every_label_fits_its_box(client: TestClient, params: dict[str, str]) -> None:
    svg = picture(client, **params)
    names = {
        c.id: c.name.removeprefix("Microsoft Certified: ") for c in client.app.state.catalog.certifications
    }  # type: ignore[attr-defined]
    nodes = list(svg.iterfind("s:g", NS))
    assert len(nodes) == len(names)
    for g in nodes:
        cid = g.get("data-id", "")
        x, y, w, h = boxes(svg)[cid]
        texts = list(g.iterfind("s:text", NS))
        assert " ".join(t.text or "" for t in texts[1:]) == names[cid], cid  # the whole name, not cut
        for t in texts:
            tx, ty, label = float(t.get("x", "0")), float(t.get("y", "0")), t.text or ""
            right = tx + text_width(label, bold=t.get("font-weight") == "bold")
            assert x + PAD <= tx and right <= x + w - PAD, (cid, label, right, x + w)
            assert y <= ty - FONT and ty + FONT * 0.3 <= y + h, (cid, label)


@pytest.mark.parametrize("params", [{}, {"goal": "devops-engineer-expert"}], ids=["default", "expert-goal"])
def test_boxes_apart_and_arrows_from_right_side_to_left_side(
    client: TestClient, params: dict[str, str]
) -> None:
    svg = picture(client, **params)
    placed = boxes(svg)
    for (a, (ax, ay, aw, ah)), (b, (bx, by, bw, bh)) in combinations(placed.items(), 2):
        assert ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay, (a, b)
    ends = edges(svg)
    assert len(ends) == 6
    rights = {(x + w, y + h / 2) for x, y, w, h in placed.values()}
    lefts = {(x, y + h / 2) for x, y, _, h in placed.values()}
    assert all(start in rights and end in lefts for start, end in ends)


@pytest.mark.parametrize("params", [{}, {"goal": "devops-engineer-expert"}], ids=["default", "expert-goal"])
def test_no_arrows_cross(client: TestClient, params: dict[str, str]) -> None:
    ends = edges(picture(client, **params))
    assert [(a, b) for a, b in combinations(ends, 2) if cross(a, b)] == []
