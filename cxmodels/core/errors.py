"""User-facing errors.

Everything a user can get wrong (a parameter, a scenario, a data file, a model
name) raises a subclass of :class:`CxError`. Its message is meant to be read by
a person: it names the thing, the value, the unit and the allowed range, and
suggests the likely fix. The CLI prints it without a traceback; in a notebook
IPython shows just the message (see ``_render_traceback_``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence


class CxError(Exception):
    """A user's slip: one or more one-line problems, each self-explanatory."""

    def __init__(self, problems: str | Sequence[str]):
        self.problems: tuple[str, ...] = (
            (problems,) if isinstance(problems, str) else tuple(problems)
        )
        super().__init__("\n".join(self.problems))

    def _render_traceback_(self) -> list[str]:
        # IPython calls this instead of printing a traceback: an analyst who
        # mistypes a value sees the message, not numpy's internals.
        return [f"{type(self).__name__}: {line}" for line in self.problems]


class ParameterError(CxError, ValueError):
    """A parameter value, name or combination is not allowed."""


class DataFileError(CxError, ValueError):
    """A data file cannot be read or has a bad row or column."""


class UnknownModelError(CxError, KeyError):
    """No model of that name is registered."""

    def __str__(self) -> str:  # KeyError would otherwise add quotes
        return "\n".join(self.problems)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``" did you mean `x`?"`` for the closest choice, or ``""``.

    Examples
    --------
    >>> did_you_mean("buyers_per_trp", ["buyers_per_trip", "trips_per_day"])
    ' did you mean `buyers_per_trip`?'
    """
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" did you mean `{matches[0]}`?" if matches else ""
