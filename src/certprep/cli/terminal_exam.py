"""The terminal exam, practice set and adaptive session: one item at a time, answers and commands at a prompt.

It never crashes on what a learner types: a malformed command or answer becomes a message kept under the item
after the redraw (with help, the review screen and notices), and Ctrl-C or the end of input saves and leaves
like `:q`. Items are numbered from 1 as shown (the JSON API's `position` counts from 0).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, RenderableType
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from certprep.cli import context
from certprep.cli.exam_input import COMMANDS, Command, parse_answer, parse_command
from certprep.cli.report_view import print_report
from certprep.cli.text import clean, safe
from certprep.domain.catalog import Catalog
from certprep.domain.items import Bank
from certprep.domain.presentation import blank_numbers, choice_label, describe_answer, fill_blanks
from certprep.errors import InvalidInput, NotFound, PolicyViolation
from certprep.services import attempts as svc
from certprep.services.database import Database
from certprep.services.reports import ScoreReport

console = Console(highlight=False)
REFUSED = (InvalidInput, PolicyViolation, NotFound)
_SHORT = {
    "next": "next",
    "previous": "back",
    "go": "go to item N",
    "mark": "mark",
    "review": "review",
    "leave": "leave section",
    "submit": "submit",
    "quit": "save & quit",
    "help": "help",
}
ADAPTIVE_ACTIONS = ("quit", "help")


class Quit(Exception):
    """The learner leaves: the attempt stays in progress and resumable."""


def clock(seconds: int | None) -> str:
    """Time left as m:ss, or 'untimed'."""
    if seconds is None:
        return "untimed"
    return f"{seconds // 60}:{seconds % 60:02d} left"


def _hint(shown: dict[str, Any], mode: str) -> str:
    kind = shown["type"]
    return {
        "single": "one answer: e.g. B",
        "multiple": f"choose {shown.get('choose')}: e.g. A D",
        "build-list": f"place {shown.get('place')} in order: e.g. C A B",
        "drag-drop": "pairs target=value: e.g. 1=B 2=A",
        "hot-area": "pairs blank=choice: e.g. 1=A 2=C",
        "yes-no": "y or n" + (" · once answered, this statement locks" if mode == "exam" else ""),
    }.get(kind, "")


class Terminal:
    """What the exam and adaptive loops share: drawing an item, notes kept under it, answering, feedback."""

    def __init__(self, db: Database, attempt_id: str, catalog: Catalog, bank: Bank) -> None:
        self.db, self.attempt_id, self.catalog, self.bank = db, attempt_id, catalog, bank
        self.notes: list[RenderableType] = []
        self.mode = "exam"

    def note(self, text: str, style: str = "") -> None:
        """A message shown under the next drawing of the item (so the redraw never scrolls it away)."""
        self.notes.append(Text(clean(text), style=style))

    def ask(self, prompt: str) -> str:
        return console.input(escape(prompt)).strip().lower()

    def item(self, position: int) -> svc.ItemView:
        return svc.view_item(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            position=position,
            now=context.now(),
            bank=self.bank,
        )

    def show(self, view: svc.ItemView, head: str, actions: tuple[str, ...]) -> None:
        """The item, its choices, the answer so far, feedback, the command footer, then the kept notes."""
        s = view.shown
        console.rule(safe(head))
        if view.case_study:
            for tab in view.case_study["tabs"]:
                title = f"{view.case_study['title']}: {tab['title']}"
                console.print(Panel(Markdown(clean(tab["body"])), title=safe(title)))
        console.print(Markdown(clean(fill_blanks(s, view.answer))))
        if s["type"] == "yes-no":
            console.print(Panel(Text(clean(s["statement"])), title="Does the solution meet the goal? (y/n)"))
        for o in [*s.get("options", []), *s.get("values", [])]:
            console.print(f"  {clean(o['label'])}. {clean(o['text'])}", markup=False)
        for t in s.get("targets", []):
            console.print(f"  target {clean(t['label'])}: {clean(t['text'])}", markup=False)
        numbers = blank_numbers(s)
        for b in sorted(s.get("blanks", []), key=lambda b: numbers[b["id"]]):
            choices = " | ".join(f"{o['label']}. {o['text']}" for o in b["options"])
            console.print(clean(f"  blank {numbers[b['id']]}: {choices}"), markup=False)
        console.print(f"[dim]{safe(_hint(s, self.mode))}[/]")
        if view.answer is not None:
            console.print(f"Your answer: {clean(describe_answer(s, view.answer))}", markup=False)
        if view.feedback:
            self.feedback(view.feedback, s)
        console.print(
            "[dim]" + safe(" · ".join(f"{c} {_SHORT[a]}" for c, a, _ in COMMANDS if a in actions)) + "[/]"
        )
        for n in self.notes:
            console.print(n)
        self.notes.clear()

    def feedback(self, fb: dict[str, Any], shown: dict[str, Any]) -> None:
        verdict = (
            "[green]correct[/]"
            if fb.get("correct")
            else f"[yellow]{fb['points']}/{fb['max_points']} points[/]"
        )
        console.print(f"{verdict} · key: {safe(describe_answer(shown, fb.get('key')))}")
        for c in fb.get("choices", []):
            label = choice_label(shown, c["label"])
            console.print(f"  {clean(label)}. {clean(c['explanation'])}", markup=False)
        if fb.get("explanation"):
            console.print(clean(fb["explanation"]), markup=False)
        for src in fb.get("sources", []):
            console.print(f"  source: {clean(src['url'])}", markup=False)

    def answer(self, view: svc.ItemView, text: str) -> svc.Acknowledgement:
        """Record an answer typed at the prompt and say what was recorded, in words."""
        response = parse_answer(view.shown, text)
        ack = svc.answer_item(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            position=view.position,
            response=response,
            request_id=None,
            now=context.now(),
            bank=self.bank,
        )
        said = describe_answer(view.shown, _upper(response, view.shown["type"]))
        self.note(f"item {view.position + 1} recorded: {said}", "green")
        return ack

    def help(self, actions: tuple[str, ...]) -> None:
        table = Table(title="Commands (items are numbered from 1, as shown)", show_header=False)
        for typed, action, what in COMMANDS:
            if action in actions:
                table.add_row(typed, what)
        self.notes.append(table)
        self.note(
            "Answers as shown: B (one answer) · A D (choose n) · C A B (build a list in order) · "
            "1=B 2=A (drag and drop: target=value) · 1=A (hot area: blank=choice) · y or n. "
            "Ctrl-C saves and leaves like :q."
        )


def _upper(response: Any, kind: str) -> Any:
    if kind == "yes-no":
        return response
    if isinstance(response, dict):
        return {k: str(v).upper() for k, v in response.items()}
    if isinstance(response, list):
        return [str(x).upper() for x in response]
    return str(response).upper()


def resume_hint(attempt_id: str, mode: str) -> str:
    """How to continue an attempt left in progress."""
    command = "exam" if mode == "exam" else "practice"
    clock_goes_on = " (its clock too)" if mode == "exam" else ""
    return f"Saved. Attempt {attempt_id} continues{clock_goes_on}: certprep {command} --resume {attempt_id}"


def first_unanswered(view: svc.AttemptView) -> int:
    """Where a (resumed) attempt starts: the first unanswered item of the current section, else its first."""
    current = view.current
    return next((e.position for e in current if not e.answered), current[0].position if current else 0)


class TerminalExam(Terminal):
    """A mock exam or a practice set: sections, marks, review, leave, submit; practice gives feedback."""

    def view(self) -> svc.AttemptView:
        view = svc.view_attempt(
            self.db,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            now=context.now(),
            catalog=self.catalog,
            bank=self.bank,
        )
        self.mode = view.attempt.mode
        return view

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(a for _, a, _ in COMMANDS if a != "leave" or self.mode == "exam")

    def run(self) -> None:
        """Until the attempt is submitted (returns) or the learner leaves (raises Quit)."""
        view = self.view()
        position = first_unanswered(view)
        while view.attempt.status == "in-progress":
            item = self.item(position)
            if item.seconds_left == 0:  # time ran out while the learner looked at the last item
                view = self.view()
                continue
            section = view.attempt.sections[view.attempt.current_section]
            head = (
                f"Item {position + 1} of {len(view.entries)} · {section.title} · {clock(item.seconds_left)}"
            )
            head += (" · marked" if item.marked else "") + (" · locked" if item.locked else "")
            self.show(item, head, self.actions)
            try:
                position = self.act(console.input("> "), item, view, position)
            except REFUSED as exc:
                self.note(exc.message, "red")
            view = self.view()
            if position not in [e.position for e in view.current]:
                position = first_unanswered(view)
        if view.attempt.expired:
            console.print("Time is up: the attempt was submitted with the answers recorded.", markup=False)

    def act(self, text: str, item: svc.ItemView, view: svc.AttemptView, position: int) -> int:
        """Carry out one line typed at the prompt; the position to show next."""
        command = parse_command(text)
        if command is None:
            return self.answered(item, self.answer(item, text), position)
        if command.action not in self.actions:
            raise InvalidInput(f"{text.strip()}: not in a {self.mode} attempt; :h lists the commands")
        current = [e.position for e in view.current]
        if command.action in ("next", "previous", "go"):
            return self.move(command, current, position)
        if command.action == "mark":
            self.mark(item)
        elif command.action == "review":
            self.notes.append(review_table(view))
        elif command.action == "leave":
            self.leave(view)
        elif command.action == "submit":
            self.submit(view, ask=True)
        elif command.action == "help":
            self.help(self.actions)
        else:
            raise Quit
        return position

    def move(self, command: Command, current: list[int], position: int) -> int:
        here = current.index(position) if position in current else 0
        if command.action == "go":
            target = (command.number or 0) - 1
            if target not in current:
                raise InvalidInput(
                    f"there is no item {command.number} in this section: items {current[0] + 1} to {current[-1] + 1}"
                )
            return target
        step = 1 if command.action == "next" else -1
        if not 0 <= here + step < len(current):
            self.note(self.edge_note(here == 0 and step < 0))
            return position
        return current[here + step]

    def edge_note(self, first: bool) -> str:
        if first:
            return "this is the first item of the section"
        leave = ", :l leave the section" if self.mode == "exam" else ""
        return f"this is the last item of the section: :r review{leave}, :s submit"

    def answered(self, item: svc.ItemView, ack: svc.Acknowledgement, position: int) -> int:
        """Where to go after an answer: the next item; in practice, feedback first, and the end after the last."""
        view = self.view()
        current = [e.position for e in view.current]
        if not ack.feedback:
            if current.index(position) + 1 < len(current):
                return current[current.index(position) + 1]
            self.note(self.edge_note(False))
            return position
        self.feedback(ack.feedback, item.shown)
        left = [e.position for e in view.current if not e.answered]
        if not left:
            self.submit(view, ask=False)
            return position
        console.input("(enter to continue) ")
        return next((p for p in left if p > position), left[0])

    def mark(self, item: svc.ItemView) -> None:
        svc.mark_item(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            position=item.position,
            marked=not item.marked,
            now=context.now(),
            bank=self.bank,
        )
        self.note(f"item {item.position + 1} {'unmarked' if item.marked else 'marked for review'}")

    def leave(self, view: svc.AttemptView) -> None:
        unanswered = sum(1 for e in view.current if not e.answered)
        if self.ask(f"Leave this section? {unanswered} unanswered; you cannot come back. [y/N] ") != "y":
            self.note("still in this section")
            return
        svc.leave_section(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            confirm=True,
            now=context.now(),
            bank=self.bank,
        )

    def submit(self, view: svc.AttemptView, *, ask: bool) -> None:
        """Submit after a yes (asked with :s; after the last answer of a practice set, yes is the default)."""
        if ask:
            unanswered = sum(1 for e in view.entries if not e.answered)
            left = f" {unanswered} unanswered." if unanswered else ""
            if self.ask(f"Submit the attempt now?{left} [y/N] ") != "y":
                self.note("not submitted")
                return
        elif self.ask("Every item is answered. Submit the set and see your report? [Y/n] ") == "n":
            self.note("not submitted: type :s when you are ready")
            return
        svc.submit_attempt(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            now=context.now(),
            bank=self.bank,
        )

    def report(self) -> ScoreReport:
        return svc.get_report(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            now=context.now(),
            bank=self.bank,
        )


def review_table(view: svc.AttemptView) -> Table:
    """The review screen of the current section."""
    table = Table(title=f"Review: section {view.attempt.current_section + 1} · {clock(view.seconds_left)}")
    for col in ("Item", "Type", "Answered", "Marked", "Locked"):
        table.add_column(col)
    for e in view.current:
        table.add_row(
            str(e.position + 1),
            e.type,
            "yes" if e.answered else "[red]no[/]",
            "yes" if e.marked else "",
            "yes" if e.locked else "",
        )
    return table


def run_attempt(attempt_id: str, db: Database | None = None, *, bank: Bank | None = None) -> None:
    """The interactive loop over one attempt, until it is submitted (then the report) or the learner leaves."""
    exam = TerminalExam(db or context.database(), attempt_id, context.catalog(), bank or context.bank())
    try:
        exam.run()
    except (Quit, KeyboardInterrupt, EOFError):
        console.print()
        console.print(resume_hint(attempt_id, exam.mode), markup=False)
        return
    print_report(console, exam.report(), review=False)
