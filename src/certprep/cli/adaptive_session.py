"""The adaptive session in the terminal: the next item by information at the learner's ability, feedback after
each answer, until a stopping rule ends it. It has no fixed length, so items show as "Item N", never "of M"."""

from __future__ import annotations

from certprep.cli import context
from certprep.cli.exam_input import parse_command
from certprep.cli.report_view import print_report
from certprep.cli.terminal_exam import ADAPTIVE_ACTIONS, REFUSED, Quit, Terminal, console, resume_hint
from certprep.domain.items import Bank
from certprep.errors import InvalidInput
from certprep.services import attempts as svc
from certprep.services.adaptive import NextStep, next_adaptive_item
from certprep.services.database import Database

REASONS = {
    "precise": "your ability is measured precisely enough",
    "length": "the item limit was reached",
    "pass": "you are confidently above the cut",
    "fail": "you are confidently below the cut",
}


class AdaptiveSession(Terminal):
    """One adaptive session; `max_items` (when known) is shown as the session's upper bound."""

    def __init__(self, db: Database, attempt_id: str, bank: Bank, max_items: int | None) -> None:
        super().__init__(db, attempt_id, context.catalog(), bank)
        self.mode, self.max_items = "adaptive", max_items

    def step(self) -> NextStep:
        return next_adaptive_item(
            self.db,
            catalog=self.catalog,
            learner_id=context.LEARNER,
            attempt_id=self.attempt_id,
            now=context.now(),
            bank=self.bank,
        )

    def run(self) -> NextStep:
        """Until a stopping rule ends the session (returns its last step) or the learner leaves (raises Quit)."""
        while True:
            step = self.step()
            if step.position is None:
                return step
            item = self.item(step.position)
            limit = f", at most {self.max_items}" if self.max_items else ""
            self.show(
                item,
                f"Item {step.position + 1} · adaptive: stops when the estimate is precise{limit}"
                f" · ability {step.theta:+.2f} ± {step.sd:.2f}",
                ADAPTIVE_ACTIONS,
            )
            try:
                self.act(console.input("> "), item)
            except REFUSED as exc:
                self.note(exc.message, "red")

    def act(self, text: str, item: svc.ItemView) -> None:
        command = parse_command(text)
        if command is None:
            ack = self.answer(item, text)
            if ack.feedback:
                self.feedback(ack.feedback, item.shown)
                console.input("(enter to continue) ")
        elif command.action == "quit":
            raise Quit
        elif command.action == "help":
            self.help(ADAPTIVE_ACTIONS)
        elif command.action == "next":
            self.note("answer the item to go on (:h for help)")
        else:
            raise InvalidInput(
                f"{text.strip()}: an adaptive session goes item by item; only :h and :q work here"
            )


def run_adaptive(
    attempt_id: str, db: Database | None = None, *, bank: Bank | None = None, max_items: int | None = None
) -> None:
    """The adaptive loop, then the report; Ctrl-C or :q keeps the session for --resume."""
    session = AdaptiveSession(db or context.database(), attempt_id, bank or context.bank(), max_items)
    try:
        last = session.run()
    except (Quit, KeyboardInterrupt, EOFError):
        console.print()
        console.print(resume_hint(attempt_id, "adaptive"), markup=False)
        return
    reason = REASONS.get(last.decision, last.decision)
    console.print(f"Session ended after {last.given} items: {reason}.", markup=False)
    report = svc.get_report(
        session.db,
        catalog=session.catalog,
        learner_id=context.LEARNER,
        attempt_id=attempt_id,
        now=context.now(),
        bank=session.bank,
    )
    print_report(console, report, review=False)
