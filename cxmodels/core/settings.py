"""Settings typed on a command line: ``NAME=VALUE`` pairs, checked at the edge."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import ParameterError


def parse_settings(settings: Sequence[str], option: str = "--set",
                   example: str = "buyers_per_trip=6") -> dict[str, str]:
    """``["a=1", "b=2"]`` -> ``{"a": "1", "b": "2"}``, with clear errors."""
    values: dict[str, str] = {}
    problems = []
    for item in settings:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f"{option} {item!r} is not NAME=VALUE; e.g. {option} {example}.")
        elif name in values:
            problems.append(f"{option} {name} is given twice ({values[name]} and {value}); keep one.")
        else:
            values[name] = value
    if problems:
        raise ParameterError(problems)
    return values
