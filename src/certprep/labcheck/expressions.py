"""Azure Pipelines template expressions `${{ ... }}`: a small evaluator for the parts a linter can know.

Template expressions are evaluated when a run is compiled. We evaluate what the scope given knows
(`parameters.x`, loop variables, the variables a file sets to plain values, literals and the common functions);
anything else (predefined or group variables, counters, unknown functions) is UNKNOWN and the caller decides
how to be lenient. Function names and string
comparisons are case-insensitive, as in the service
(https://learn.microsoft.com/azure/devops/pipelines/process/expressions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final[_Unknown] = _Unknown()
_WHOLE = re.compile(r"^\s*\$\{\{(.*)\}\}\s*$", re.DOTALL)
_PART = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<name>[A-Za-z_][\w\-]*)|(?P<punct>[(),.\[\]]))"
)


class ExpressionError(ValueError):
    """A template expression that cannot be parsed."""


def whole_expression(text: str) -> str | None:
    """The inside of `${{ ... }}` when the string is exactly one template expression."""
    match = _WHOLE.match(text)
    return match.group(1).strip() if match else None


def is_expression(value: object) -> bool:
    """True for a string that is exactly one template expression."""
    return isinstance(value, str) and value.lstrip().startswith("${{") and value.rstrip().endswith("}}")


def has_macro(value: object) -> bool:
    """True for a string holding an expression or macro filled in later: `${{ }}`, `$( )` or `$[ ]`."""
    return isinstance(value, str) and ("${{" in value or "$(" in value or "$[" in value)


def substitute(text: str, scope: Mapping[str, Any]) -> Any:
    """A string with the expressions we can evaluate filled in; a whole expression keeps its value's type."""
    if "${{" not in text:
        return text
    inner = whole_expression(text)
    if inner is not None and "${{" not in inner:
        value = evaluate(inner, scope)
        return text if value is UNKNOWN else value

    def fill(match: re.Match[str]) -> str:
        value = evaluate(match.group(1), scope)
        return match.group(0) if value is UNKNOWN or isinstance(value, dict | list) else as_text(value)

    return _PART.sub(fill, text)


def as_text(value: Any) -> str:
    """A value as the service writes it into a string: booleans as True/False, null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def evaluate(source: str, scope: Mapping[str, Any]) -> Any:
    """The value of one expression, or UNKNOWN when it depends on what only a run knows."""
    try:
        parser = _Parser(source, scope)
        value = parser.expression()
        if parser.peek() is not None:
            return UNKNOWN
        return value
    except ExpressionError:
        return UNKNOWN


def truthy(value: Any) -> bool | _Unknown:
    """The service's truthiness: empty string, 0, null, false and "false" are false."""
    if isinstance(value, _Unknown):
        return value
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false")
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, int | float):
        return value != 0
    return True


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return _as_bool(left) is not None and _as_bool(left) == _as_bool(right)
    if isinstance(left, int | float) or isinstance(right, int | float):
        try:
            return float(left) == float(right)
        except (TypeError, ValueError):
            return False
    if isinstance(left, str) and isinstance(right, str):
        return left.casefold() == right.casefold()
    return bool(left == right)


def _text(value: Any) -> str:
    return as_text(value).casefold()


def _contains(a: Any, b: Any) -> bool:
    if isinstance(a, list):
        return any(_equal(item, b) for item in a)
    return _text(b) in _text(a)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "eq": lambda a, b: _equal(a, b),
    "ne": lambda a, b: not _equal(a, b),
    "not": lambda a: not truthy(a),
    "in": lambda a, *rest: any(_equal(a, item) for item in rest),
    "notin": lambda a, *rest: not any(_equal(a, item) for item in rest),
    "contains": _contains,
    "containsvalue": lambda a, b: any(_equal(item, b) for item in (a.values() if isinstance(a, dict) else a)),
    "startswith": lambda a, b: _text(a).startswith(_text(b)),
    "endswith": lambda a, b: _text(a).endswith(_text(b)),
    "lower": lambda a: as_text(a).lower(),
    "upper": lambda a: as_text(a).upper(),
    "length": lambda a: len(a) if isinstance(a, list | dict | str) else 0,
    "join": lambda sep, items: (
        as_text(sep).join(as_text(i) for i in items) if isinstance(items, list) else ""
    ),
    "replace": lambda a, old, new: as_text(a).replace(as_text(old), as_text(new)),
    "coalesce": lambda *items: next((i for i in items if i not in (None, "")), ""),
    "gt": lambda a, b: float(a) > float(b),
    "ge": lambda a, b: float(a) >= float(b),
    "lt": lambda a, b: float(a) < float(b),
    "le": lambda a, b: float(a) <= float(b),
}


class _Parser:
    """Recursive descent over the expression grammar: literal | name(.prop|[index])* | function(args)."""

    def __init__(self, source: str, scope: Mapping[str, Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        source = source.strip()
        while position < len(source):
            match = _TOKEN.match(source, position)
            if match is None or match.end() == position:
                raise ExpressionError(f"unexpected text at {position}: {source[position:]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
            while position < len(source) and source[position].isspace():
                position += 1
        self.position = 0
        self.scope = scope

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, punct: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (punct is not None and token != ("punct", punct)):
            raise ExpressionError(f"expected {punct or 'more'}")
        self.position += 1
        return token

    def expression(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind != "name":
            raise ExpressionError(f"unexpected {text!r}")
        lowered = text.lower()
        if self.peek() == ("punct", "("):
            return self.call(lowered)
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        value = self.scope.get(text, UNKNOWN)
        while self.peek() in (("punct", "."), ("punct", "[")):
            if self.take()[1] == ".":
                key: Any = self.take()[1]
            else:
                key = self.expression()
                self.take("]")
            value = _member(value, key)
        return value

    def call(self, name: str) -> Any:
        self.take("(")
        args: list[Any] = []
        while self.peek() != ("punct", ")"):
            args.append(self.expression())
            if self.peek() == ("punct", ","):
                self.take(",")
        self.take(")")
        if name == "and":
            return _all(args)
        if name == "or":
            return _any(args)
        function = _FUNCTIONS.get(name)
        if function is None or any(arg is UNKNOWN for arg in args):
            return UNKNOWN
        try:
            return function(*args)
        except (TypeError, ValueError, AttributeError):
            return UNKNOWN


def _member(value: Any, key: Any) -> Any:
    if isinstance(value, dict) and isinstance(key, str):
        # A parameter declared without a default is not known here: UNKNOWN, never null.
        return value.get(key, UNKNOWN)
    if isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
        return value[key]
    return UNKNOWN


def _all(args: list[Any]) -> Any:
    values = [truthy(arg) for arg in args]
    if any(value is False for value in values):
        return False
    return UNKNOWN if any(value is UNKNOWN for value in values) else True


def _any(args: list[Any]) -> Any:
    values = [truthy(arg) for arg in args]
    if any(value is True for value in values):
        return True
    return UNKNOWN if any(value is UNKNOWN for value in values) else False
