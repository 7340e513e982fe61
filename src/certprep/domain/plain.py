"""Domain values as plain JSON-ready data (dates as ISO strings), for the JSON API and `--json` alike."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any


def to_plain(value: Any) -> Any:
    """Frozen dataclasses, tuples, dates and datetimes -> dicts, lists and ISO strings, keys in field order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value
