"""`certprep report ID` shows the item review as a person reads it: items numbered from 1, the question, the
answer given and the key in display labels and words, right or wrong, and the explanation."""

from __future__ import annotations

import json
import re

from tests.cli.conftest import Learner

TYPES = ("single", "multiple", "build-list", "drag-drop", "hot-area", "yes-no")


def _practice(learner: Learner, count: int) -> str:
    args = ["practice", "--count", str(count), "--seed", "21", "--no-case-studies"]
    for kind in TYPES:
        args += ["--type", kind]
    code, out, _ = learner.answers(4 * count).run(*args)
    assert code == 0
    return re.search(r"Score report · practice ([0-9a-f]{16})", out).group(1)  # type: ignore[union-attr]


def test_report_reviews_every_item_in_words(learner: Learner) -> None:
    aid = _practice(learner, 24)
    code, out, _ = learner.run("report", aid)
    assert code == 0
    review = out[out.index("Item review") :]
    heads = re.findall(r"^(\d+)\. (correct|incorrect|partial \(\d+/\d+\)|not answered) · (.+)$", review, re.M)
    assert [int(n) for n, _, _ in heads] == list(range(1, 25))
    assert all(question.strip() for _, _, question in heads)
    assert review.count("Your answer:") == 24 and review.count("Key:") == 24 and "Why: " in review
    data = json.loads(learner.run("report", aid, "--json")[1])
    kinds = {i["shown"]["type"] for i in data["items"]}
    assert len(kinds) >= 5  # several item types reviewed, each in words
    # Python values must not leak into the answer lines (an item's own words, a stem or an explanation, may quote
    # code such as `DropObjectsNotInSource=True`, so only the answer lines are read).
    answers = "\n".join(
        line for line in review.splitlines() if re.match(r"^\s+(Your answer:|Key:|\d+\)|\d+\. )", line)
    )
    assert answers.count("Key:") == 24
    for leak in ("{'", "['", "': '", "az-400/", "[[blank:"):
        assert leak not in answers, leak
    # a bare Python value as a whole answer (option texts may quote `Setting=True`)
    assert not re.search(r"(?:Your answer:|Key:|\d\)|\d+\.)\s*(?:None|True|False)\s*$", answers, re.M)
    assert re.search(r"^   Key: [A-F]\. \w", review, re.M)  # a single choice: label and its words
    assert re.search(r"^     \d\) [A-F]\. \w", review, re.M) or re.search(
        r"^     \d+\. .+ -> [A-F]\. ", review, re.M
    )


def test_report_summary_leaves_the_review_out(learner: Learner) -> None:
    aid = _practice(learner, 2)
    code, out, _ = learner.run("report", aid, "--summary")
    assert code == 0 and "Item review" not in out and f"The item review: certprep report {aid}" in out


def test_report_of_an_attempt_in_progress_is_a_clear_error(learner: Learner) -> None:
    learner.types(":q")
    _, out, _ = learner.run("practice", "--count", "2", "--seed", "2")
    aid = re.search(r"--resume ([0-9a-f]{16})", out).group(1)  # type: ignore[union-attr]
    code, out, err = learner.run("report", aid)
    assert code == 1 and out == "" and f"error: attempt {aid} is not submitted yet: no report" in err
