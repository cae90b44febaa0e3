"""Parameter specs and validation.

Each model declares its parameters once, as :class:`Param` objects: name,
unit, default, allowed range, source and one line of help. Everything generic
is derived from that declaration: validation (here), sliders
(:mod:`cxmodels.interactive.widgets`), ``--set`` on the command line, the assumptions
table in the report.

Validation happens at the edge (notebook parameters, CLI flags, data files);
model functions then trust their inputs. Any parameter may be a scalar or a
NumPy array of Monte Carlo draws.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ParameterError, did_you_mean
from .formatting import SHARE, format_number

ParamValue = float | np.ndarray


@dataclass(frozen=True)
class Param:
    """One model parameter, declared once.

    Parameters
    ----------
    name : str
        Business name, used as keyword argument, CLI ``--set`` name and
        notebook variable, e.g. ``buyers_per_trip``.
    unit : str
        Unit shown to people, e.g. ``"EUR per buyer"``; ``"share"`` for a
        fraction in [0, 1] (shown as percent).
    default : float
        Default value; must lie in ``[low, high]``.
    low, high : float
        Allowed range, inclusive. ``high`` may be ``math.inf``.
    source : str
        Key of :data:`cxmodels.core.sources.SOURCES` (e.g. ``"bus"``) or
        ``"analyst"`` for the analyst's own estimate.
    help : str
        One line: what the number means.
    integer : bool
        Whole numbers only (e.g. months of a horizon).
    slider_max : float, optional
        Upper end of the notebook slider where ``high`` is unbounded or far
        beyond any sensible value. Defaults to ``high``.
    slider_step : float, optional
        Step of the notebook slider, in the parameter's unit (a fraction for
        a share). Defaults to a step derived from the range that reaches the
        default exactly (see :mod:`cxmodels.interactive.controls`).
    technical : bool
        A setting of the computation (random seed, number of draws), not a
        business assumption: the what-if panel offers no slider for it.
    """

    name: str
    unit: str
    default: float
    low: float
    high: float
    source: str
    help: str
    integer: bool = False
    slider_max: float | None = None
    slider_step: float | None = None
    technical: bool = False

    def __post_init__(self) -> None:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"default of {self.name} outside its own range")

    @property
    def is_share(self) -> bool:
        return self.unit == SHARE

    def describe_range(self) -> str:
        """Allowed range in words, e.g. ``"0 to 1 (a share: 0.20 is 20 %)"``."""
        if math.isinf(self.high):
            text = f"at least {format_number(self.low)}"
        else:
            text = f"{format_number(self.low)} to {format_number(self.high)}"
        if self.is_share:
            return text + " (a share: 0.20 is 20 %)"
        return f"{text} {self.unit}"

    def check(self, value: object) -> ParamValue:
        """Convert ``value`` to a float or float array and check the range.

        Raises
        ------
        ParameterError
            With a one-line message naming the parameter, the value, the unit,
            the allowed range and, where the slip is recognisable, the fix.
        """
        number = _to_number(self, value)
        bad = _first_bad(self, number)
        if bad is None:
            return number
        index, item = bad
        where = "" if index is None else f" (draw {index} of {np.size(number)})"
        raise ParameterError(self._range_message(item, where))

    def _range_message(self, item: float, where: str) -> str:
        shown = format_number(item)
        if math.isnan(item):
            return (
                f"{self.name} is NaN (not a number){where}; give a number "
                f"from {self.describe_range()}."
            )
        if math.isinf(item):
            return (
                f"{self.name} is infinite{where}; give a finite number "
                f"from {self.describe_range()}."
            )
        if self.integer and item != round(item):
            return (
                f"{self.name} = {shown}{where} must be a whole number of "
                f"{self.unit}; did you mean {round(item)}?"
            )
        message = (
            f"{self.name} = {shown}{where} is outside the allowed range "
            f"{self.describe_range()}."
        )
        if self.is_share and 1 < item <= 100:
            message += f" Shares are fractions: did you mean {_as_fraction(item)} ({shown} %)?"
        elif item < self.low <= 0 <= -item <= self.high:
            message += f" Did you mean {format_number(-item)}?"
        return message


@dataclass(frozen=True)
class Rule:
    """A rule across parameters, e.g. buyers cannot exceed passengers.

    ``holds`` takes the named parameters as keyword arguments and returns a
    bool or a bool array (one per draw). ``message`` is formatted with the
    offending values, e.g. ``"buyers_per_trip ({buyers_per_trip:g}) ..."``.
    ``derived``, if given, takes the offending values as keyword arguments and
    returns more named values for the message, e.g. a sum of shares:
    ``lambda **shares: {"total": sum(shares.values())}`` for ``"... sum to
    {total:.0%}"``.
    """

    names: tuple[str, ...]
    holds: Callable[..., object]
    message: str
    hint: str
    derived: Callable[..., Mapping[str, float]] | None = None

    def check(self, values: Mapping[str, ParamValue]) -> str | None:
        """Return the problem as one line, or ``None`` if the rule holds."""
        args = {name: np.asarray(values[name]) for name in self.names}
        ok = np.asarray(self.holds(**args), dtype=bool)
        if ok.all():
            return None
        shape = np.broadcast_shapes(ok.shape, *(a.shape for a in args.values()))
        bad = np.flatnonzero(~np.broadcast_to(ok, shape).ravel())
        at = {n: float(np.broadcast_to(a, shape).ravel()[bad[0]]) for n, a in args.items()}
        where = f" in {bad.size} of {int(np.prod(shape))} draws, e.g. draw {bad[0]}" if shape else ""
        if self.derived is not None:
            at = {**at, **self.derived(**at)}
        return f"{self.message.format(**at)}{where}; {self.hint}."


def validate(
    params: Sequence[Param],
    values: Mapping[str, object] | None = None,
    rules: Sequence[Rule] = (),
    *,
    context: str = "",
    where: Mapping[str, str] | None = None,
) -> dict[str, ParamValue]:
    """Check ``values`` against the specs and return a full parameter set.

    Missing names take their defaults. All problems are collected and raised
    together, one line each, so a user fixes them in one go.

    Parameters
    ----------
    params : sequence of Param
        The model's specs.
    values : mapping, optional
        Name -> value (number, numeric text, or array of draws).
    rules : sequence of Rule
        Cross-parameter rules, checked once every single value is valid.
    context : str
        Prefix for each message, e.g. ``"scenario bus.yml: "``.
    where : mapping, optional
        Prefix for the messages about one parameter, overriding ``context``,
        e.g. ``{"buyers_per_trip": "bus.yaml, line 7: "}``.

    Raises
    ------
    ParameterError
        Unknown names (with "did you mean"), bad values, broken rules.
    """
    values = dict(values or {})
    specs = {spec.name: spec for spec in params}
    where = where or {}
    problems: list[str] = []
    for name in values:
        if name not in specs:
            problems.append(
                f"{where.get(name, context)}unknown parameter `{name}`;"
                f"{did_you_mean(name, specs) or ' no parameter is close.'}"
                f" The parameters are: {', '.join(specs)}."
            )
    checked: dict[str, ParamValue] = {}
    for name, spec in specs.items():
        try:
            checked[name] = spec.check(values.get(name, spec.default))
        except ParameterError as error:
            problems.extend(where.get(name, context) + p for p in error.problems)
    if not problems:
        problems.extend(
            context + p for rule in rules if (p := rule.check(checked)) is not None
        )
    if problems:
        raise ParameterError(problems)
    return checked


def plain(value) -> ParamValue:
    """A result as a float for scalar inputs, an array for draws.

    Models return ``plain(x)`` so that scalar parameters give plain floats
    (for JSON, messages and tests) and arrays of draws give arrays.
    """
    array = np.asarray(value, dtype=float)
    return float(array) if array.ndim == 0 else array


_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")


def _to_number(spec: Param, value: object) -> ParamValue:
    """Turn numbers, numeric text and arrays into float or float arrays."""
    if isinstance(value, (bool, np.bool_)):
        raise ParameterError(
            f"{spec.name} = {value} is a yes/no value, not a number; give a "
            f"number from {spec.describe_range()}."
        )
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return _parse_text(spec, value)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{spec.name} = {value!r} is not a number or an array of numbers; "
            f"give a number from {spec.describe_range()}."
        ) from None
    return array if array.ndim else float(array)


def _parse_text(spec: Param, text: str) -> float:
    stripped = text.strip()
    try:
        return float(stripped)
    except ValueError:
        pass
    if _THOUSANDS.match(stripped):
        plain = stripped.replace(",", "")
        hint = (
            f" Leave out thousands separators: did you mean {plain}"
            f" (or {stripped.replace(',', '.')} with a decimal point)?"
        )
    elif _DECIMAL_COMMA.match(stripped):
        hint = f" Use a decimal point: did you mean {stripped.replace(',', '.')}?"
    elif stripped.endswith("%") and _is_float(stripped[:-1]):
        percent = float(stripped[:-1])
        hint = (
            f" Shares are fractions: did you mean {_as_fraction(percent)}?"
            if spec.is_share
            else " Give the number without a percent sign."
        )
    else:
        hint = ""
    raise ParameterError(
        f"{spec.name} = {text!r} is text where a number belongs; give a number "
        f"from {spec.describe_range()}.{hint}"
    )


def _as_fraction(percent: float) -> str:
    """``20`` -> ``"0.20"``, ``12.5`` -> ``"0.125"``."""
    return f"{percent / 100:.2f}" if percent == round(percent) else f"{percent / 100:.4g}"


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _first_bad(spec: Param, number: ParamValue) -> tuple[int | None, float] | None:
    """Index and value of the first value that breaks the spec, or None."""
    array = np.asarray(number)
    ok = np.isfinite(array) & (array >= spec.low) & (array <= spec.high)
    if spec.integer:
        ok &= array == np.round(array)
    if ok.all():
        return None
    if array.ndim == 0:
        return None, float(array)
    index = int(np.flatnonzero(~ok.ravel())[0])
    return index, float(array.ravel()[index])
