"""The command line: Typer commands calling the same services as the web app; Rich for tables and trees."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from certprep.errors import CertprepError, PackInvalid


def _command(args: list[str]) -> typer.Typer:
    """The Typer app to run: `certprep lint` alone when that is the command (an editor or a pre-commit hook calls it
    once per save or commit, so it skips importing the web app, the database and numpy: about 2 s), else all."""
    if args[:1] == ["lint"]:
        from certprep.cli.lint_cmd import lint

        alone = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
        alone.command("lint")(lint)
        alone.callback()(lambda: None)  # keep `lint` a subcommand, as in the full app
        return alone
    from certprep.cli.app import app

    return app


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every CertprepError becomes `error: ...` on stderr and exit code 1.

    Typer handles its own usage errors (exit code 2) in standalone mode; with `argv` given (tests) the exit code
    is returned instead of leaving the process.
    """
    command = typer.main.get_command(_command(sys.argv[1:] if argv is None else argv))
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    code = 0
    try:
        command.main(args=argv, prog_name="certprep", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except CertprepError as exc:
        err.print(f"error: {exc.message}", markup=False)
        if isinstance(exc, PackInvalid):
            for problem in exc.problems:
                err.print(problem, markup=False)
        elif exc.data.get("known"):
            err.print("known: " + ", ".join(map(str, exc.data["known"])), markup=False)
        code = 1
    if argv is None:
        sys.exit(code)
    return code
