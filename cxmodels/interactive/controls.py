"""How each parameter is offered on a slider, derived from its spec.

No widgets here, only the arithmetic an analyst must be able to trust:

- the **label** is the name in words with the unit, e.g.
  ``running_cost_per_month`` in ``EUR per month`` -> ``"Running cost (EUR per
  month)"``; a share reads ``"Gross margin (%)"``;
- a **share** is shown and typed in percent: the slider holds percent points
  (``30`` for 0.30), so a typed ``35`` or ``35%`` means 35 %;
- the **range** is the spec's allowed range, capped at ``slider_max`` where
  the spec gives one, and stretched to take the current value;
- the **step** is the spec's ``slider_step``, or the largest of 1, 2 or 5
  times a power of ten that gives at least 200 positions and on whose grid
  the default, the current value, both ends and the round values near the
  current value (half a unit of its second digit: 2,450, 2,500, 2,550 near
  2,500) lie exactly, so every one of them can be reached with the slider or
  the arrow keys; a typed value between steps is kept exactly all the same;
- a number **typed** into a lever's box is read as people write it
  (``2,000``, ``2 000``, ``2000,5``, ``2.000``, ``€2,500``, ``35 %``; ``0.2``
  in a share's box is 20 % where 0.2 % is out of range, else asked about),
  kept exactly even between the slider's steps, or refused with the reason,
  never silently read as another number (:func:`read_typed`);
- technical settings (``Param.technical``: seed, draws) get no slider.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ..core.formatting import typed_number
from ..core.params import Param
from ..reporting.words.language import N_, translate

#: Words written in capitals in labels.
ACRONYMS = {"nps": "NPS", "fcr": "FCR", "ces": "CES", "eur": "EUR", "clv": "CLV", "roi": "ROI"}

#: At least this many slider positions over the range, where the values allow.
POSITIONS = 200

#: Decimals kept when converting between fractions and percent points.
_DIGITS = 10


@dataclass(frozen=True)
class SliderScale:
    """One parameter's slider: what it shows and how it maps to the model.

    ``low``, ``high``, ``step`` and slider values are in the shown unit:
    percent points for a share (``30.0`` for 0.30), the parameter's unit
    otherwise.
    """

    name: str
    label: str
    help: str
    kind: str  # "integer", "number" or "percent"
    low: float
    high: float
    step: float

    @property
    def decimals(self) -> int:
        """Decimals the readout shows: as many as the step has."""
        return _decimals(self.step)

    @property
    def readout_format(self) -> str:
        """d3 format of the readout: no thousands separator, so typed text parses."""
        return "d" if self.kind == "integer" else f".{self.decimals}f"

    def shown(self, value: float) -> float:
        """Model value -> slider value (a share 0.3 -> 30.0)."""
        if self.kind == "percent":
            return round(float(value) * 100, _DIGITS)
        if self.kind == "integer":
            return int(round(float(value)))
        return float(value)

    def model_value(self, shown: float) -> float:
        """Slider value -> model value (30.0 % -> 0.3, exactly as a person reads it)."""
        if self.kind == "percent":
            return round(float(shown) / 100, _DIGITS)
        if self.kind == "integer":
            return int(round(float(shown)))
        return float(shown)

    def reachable(self, value: float) -> bool:
        """``value`` (model unit) lies on the slider's grid within its range."""
        shown = self.shown(value)
        if not self.low <= shown <= self.high:
            return False
        return _on_grid(shown - self.low, self.step)


def slider_scale(param: Param, value: float | None = None) -> SliderScale:
    """The slider for ``param`` starting at ``value`` (default: the spec default)."""
    value = param.default if value is None else float(value)
    percent = param.is_share
    factor = 100 if percent else 1
    kind = "percent" if percent else "integer" if param.integer else "number"

    def shown(number: float) -> float:
        return round(number * factor, _DIGITS)

    high = param.slider_max if param.slider_max is not None else param.high
    if math.isinf(high):
        high = _nice_ceiling(max(4 * param.default, 4 * value, 1.0))
    low, high = shown(min(param.low, value)), shown(max(high, value))
    anchors = (shown(param.default), shown(value), high, *_round_neighbours(low, shown(value)))
    if param.slider_step is not None:
        step = shown(param.slider_step)
    else:
        step = derive_step(low, high, anchors, integer=param.integer)
    high = low + math.floor(round((high - low) / step, 6)) * step
    return SliderScale(param.name, label(param), param.help, kind, low, round(high, _DIGITS),
                       step)


def _round_neighbours(low: float, value: float) -> tuple[float, ...]:
    """A point half a unit of the value's second digit above ``low``: a step on
    whose grid it lies reaches the round values people type near ``value``
    (2,500 -> 2,450 and 2,550; 55 -> 54.5 and 56)."""
    if value == 0:
        return ()
    return (low + 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - 1),)


def derive_step(low: float, high: float, anchors: tuple[float, ...], *,
                integer: bool = False) -> float:
    """Largest 1, 2 or 5 x 10^k with >= :data:`POSITIONS` positions over
    ``[low, high]`` on whose grid (from ``low``) every anchor lies.

    >>> derive_step(0, 30, (7.15, 30))
    0.05
    """
    span = high - low
    if span <= 0:
        return 1.0
    exponent = math.floor(math.log10(span / POSITIONS))
    candidates = [m * 10.0 ** e for e in range(exponent, exponent - 12, -1) for m in (5, 2, 1)]
    for step in candidates:
        step = round(step, 12)
        if step > span / POSITIONS and step > 1e-9:
            continue
        if integer and step < 1:
            return 1.0
        if all(_on_grid(anchor - low, step) for anchor in anchors):
            return step
    return candidates[-1]


def label(param: Param) -> str:
    """The name in words with its unit: ``"Running cost (EUR per month)"``.

    A ``per ...`` ending that the unit repeats is dropped
    (``running_cost_per_month`` in ``EUR per month``), and so is a last word
    of time or points that is the whole unit (``horizon_months`` in
    ``months``). A share's unit is ``%``; a name that is its unit
    (``customers``) is not repeated.
    """
    words = param.name.split("_")
    unit = "%" if param.is_share else param.unit
    unit_words = unit.lower().split()
    if "per" in words[1:]:
        start = len(words) - 1 - words[::-1].index("per")
        tail = words[start:]
        if unit_words[-len(tail):] == tail:
            words = words[:start]
    elif len(words) > 1 and words[-1] in _TIME_WORDS and unit_words[-1:] == words[-1:]:
        words = words[:-1]
    text = " ".join(ACRONYMS.get(word, word) for word in words)
    text = f"{text[:1].upper()}{text[1:]}"
    return text if words == unit_words else f"{text} ({unit})"


@dataclass(frozen=True)
class Typed:
    """A number typed into a lever's box, read: ``value`` exactly as meant, in
    the slider's unit (percent points for a share); ``slider`` the nearest
    position on the slider's grid (for display only: the model gets
    ``value``); ``note`` says how the text was read (empty when it was taken
    as typed)."""

    value: float
    slider: float
    note: str = ""


class Unclear(ValueError):
    """A typed number with two sensible readings: the message asks which."""


#: Spaces people put between thousands: plain, no-break, narrow no-break, thin.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def _grouped(separator: str) -> str:
    """A pattern for digits in groups of three between ``separator`` (``2,000,000``)."""
    return rf"-?[1-9]\d{{0,2}}(?:{re.escape(separator)}\d{{3}})+"  # 0,125 is not grouped


def read_typed(scale: SliderScale, text: str, language: str | None = None) -> Typed:
    """Read a number typed for ``scale`` as a person means it, or refuse it
    (notes and refusals in ``language``, default English).

    Accepted: ``2000``, ``2 000`` (spaces between thousands), ``2,000`` and
    ``2,000.5`` (comma between thousands), ``2000,5`` and ``2 000,5`` (a
    decimal comma, as written in Finnish), ``2.000,5``; a share in percent
    with or without ``%`` (``35`` and ``35 %`` both mean 35 %); money with or
    without ``EUR`` / ``€`` before or after. On an English page a comma
    followed by exactly three digits is read as a thousands separator
    (``1,250`` is 1250; type ``1.25`` or ``1,25`` for one and a quarter); on
    a Finnish page (``language="fi"``) a lone comma is always the decimal
    comma (``1,250`` is 1.25), as Finnish never groups thousands with one. A
    Finnish point (``2.000``) is 2000 where 2000 lies in the range and 2
    would need no point. A value
    between the slider's steps is kept exactly; the slider shows the nearest
    step.

    A number below 1 typed without ``%`` into a share's box is read as a
    fraction (``0.2`` -> 20 %) where only that reading lies in the range,
    and asked about (:class:`Unclear`: "0.35: did you mean 35 %?") where
    both do; never taken as a fraction of one per cent unasked.

    Raises
    ------
    ValueError
        Not a number, not a whole number where one is needed, or outside the
        slider's range: a one-line message with the text, the range and the
        unit, never a silently different value. :class:`Unclear` (a
        ``ValueError``) when the text has two sensible readings.
    """
    raw = text.strip()

    def plain(number: float) -> str:
        return _plain(number, language)

    def say(message: str, **values) -> str:
        return translate(message, language or "en").format(label=scale.label, raw=raw, **values)

    unit = "%" if scale.kind == "percent" else _unit(scale)
    cleaned = raw.replace("\u2212", "-")  # a typographic minus
    percent_sign = scale.kind == "percent" and cleaned.endswith("%")
    if percent_sign:
        cleaned = cleaned[:-1]
    for currency in ("€", "EUR"):
        if cleaned.upper().endswith(currency):
            cleaned = cleaned[: -len(currency)]
        elif cleaned.upper().startswith(currency):
            cleaned = cleaned[len(currency):]
    cleaned = cleaned.strip()
    grouped = bool(re.search(r"[,\s\u00a0\u202f\u2009]", cleaned))
    cleaned = _SPACES.sub("", cleaned)
    number = _number(cleaned, decimal_comma=language == "fi")
    if number is None:
        raise ValueError(say(N_("{label}: '{raw}' is not a number; type e.g. {example}."),
                             example=_example(scale, language)))
    note = ""
    if re.fullmatch(_grouped("."), cleaned) and cleaned.count(".") == 1:
        thousands = float(cleaned.replace(".", ""))  # 2.000: a Finnish point between thousands
        if scale.low <= thousands <= scale.high:
            number, grouped = thousands, True
    if (scale.kind == "percent" and not percent_sign and 0 < abs(number) < 1
            and scale.low <= number * 100 <= scale.high):
        percent = round(number * 100, _DIGITS)
        if scale.low <= number <= scale.high:
            raise Unclear(say(N_("{label}: {raw}: did you mean {percent} %? The box is in "
                                 "percent: type {percent} for {percent} %, or {number} % to "
                                 "mean {number} %."),
                              percent=plain(percent), number=plain(number)))
        number, note = percent, say(N_("{raw} read as {percent} % (the box is in percent)"),
                                    percent=plain(percent))
    if scale.kind == "integer" and number != round(number):
        raise ValueError(say(N_("{label}: '{raw}' is not a whole number.")))
    if not scale.low <= number <= scale.high:
        read = "" if plain(number) == raw else say(N_(" (read as {number})"),
                                                   number=plain(number))
        raise ValueError(say(N_("{label}: '{raw}'{read} is outside the slider's range {low} to "
                             "{high} {unit}."), read=read, low=plain(scale.low),
                             high=plain(scale.high), unit=unit).replace(" .", "."))
    steps = round((number - scale.low) / scale.step)
    on_grid = min(round(scale.low + steps * scale.step, _DIGITS), scale.high)
    if scale.kind == "integer":
        number, on_grid = int(number), int(on_grid)
    if not note and abs(on_grid - number) > 1e-9 * max(1.0, abs(number)):
        note = say(N_("kept as {number} {unit}; the slider shows {slider} (it moves in steps "
                   "of {step})"), number=plain(number), unit=unit, slider=plain(on_grid),
                   step=plain(scale.step)).replace(" ;", ";")
    elif not note and grouped:
        note = say(N_("read as {number} {unit}"), number=plain(number), unit=unit).rstrip()
    return Typed(number, on_grid, note)


def _number(text: str, decimal_comma: bool = False) -> float | None:
    """``text`` (no spaces) as a number, with ``,`` / ``.`` as people use them
    (``decimal_comma``: a lone comma is never a thousands separator)."""
    if not re.fullmatch(r"-?[\d.,]*\d[\d.,]*", text or ""):
        return None
    if "," in text and "." in text:  # the last one is the decimal point
        decimal, group = (",", ".") if text.rfind(",") > text.rfind(".") else (".", ",")
        whole, _, fraction = text.rpartition(decimal)
        if not re.fullmatch(_grouped(group), whole) or \
                not fraction.isdigit():
            return None
        return float(whole.replace(group, "") + "." + fraction)
    if "," in text:
        if not decimal_comma and re.fullmatch(_grouped(","), text):
            return float(text.replace(",", ""))  # 2,000 -> 2000
        if text.count(",") == 1:
            return float(text.replace(",", "."))  # 2000,5 -> 2000.5
        return None
    if text.count(".") > 1:
        if re.fullmatch(_grouped("."), text):
            return float(text.replace(".", ""))  # 2.000.000
        return None
    return float(text)


def _plain(number: float, language: str | None = None) -> str:
    """A number as typed back to people: ``2000``, ``7.15``, ``-1.5`` (no grouping;
    ``7,15`` on a Finnish page)."""
    return typed_number(number, locale=language or "en")


def _unit(scale: SliderScale) -> str:
    return scale.label[scale.label.rfind("(") + 1:-1] if scale.label.endswith(")") else ""


def _example(scale: SliderScale, language: str | None = None) -> str:
    return translate(N_("{low} or {high}"), language or "en").format(
        low=_plain(scale.low, language), high=_plain(scale.high, language))


_TIME_WORDS = ("month", "months", "year", "years", "day", "days", "points")


def _decimals(number: float) -> int:
    text = f"{number:.{_DIGITS}f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _on_grid(distance: float, step: float) -> bool:
    ratio = distance / step
    return abs(ratio - round(ratio)) < 1e-6


def _nice_ceiling(number: float) -> float:
    """The next 1, 2 or 5 x 10^k at or above ``number``."""
    power = 10.0 ** math.floor(math.log10(number))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= number)
