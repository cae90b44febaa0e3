"""A model is a spec plus a pure function.

Each model module declares one :class:`Model`: its parameters, the function
from parameters to results, the headline outputs and its notebook. The CLI,
the notebook helpers, the widgets and the report all work from this object, so
a new model needs no edits to generic code: only its module, notebook, tests
and one line in :mod:`cxmodels.registry`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .formatting import format_number, percent_significant
from .params import Param, ParamValue, Rule, validate


@dataclass(frozen=True)
class Output:
    """One headline result: a field of the model's result dataclass.

    ``label`` is the result in words where its name is not (``"IRR"`` for
    ``irr``); it may hold ``{value}`` for a figure read as a phrase
    (``"{value} likely to pay off"``, ``"Pays back in month {value}"``). By
    default the name with spaces, its abbreviations in capitals
    (``saving_share`` -> ``"Saving share"``, ``npv_p10`` -> ``"NPV P10"``).
    ``missing`` says in words what an empty value means (``"Does not pay back
    within the horizon"``).
    """

    name: str
    unit: str
    help: str
    label: str = ""
    missing: str = ""

    @property
    def title(self) -> str:
        """The result in words (English; reports translate it)."""
        if self.label:
            return self.label
        words = " ".join(ABBREVIATIONS.get(word, word) for word in self.name.split("_"))
        return words[:1].upper() + words[1:]


#: Words of output names written in capitals in their titles (``promoter_clv`` -> "Promoter CLV").
ABBREVIATIONS = {word: word.upper() for word in
                 ("npv", "clv", "ltv", "nps", "fcr", "irr", "roi", "p10", "p50", "p90")}


@dataclass(frozen=True)
class Ranking:
    """The assumptions ranked by what measuring each is worth to the decision.

    ``names`` largest first with their ``values`` (EUR); ``sentence`` says it
    for management, in the report's language. No names where no measurement
    would change the decision (the sentence says so).
    """

    names: tuple[str, ...]
    values: tuple[float, ...]
    sentence: str


@dataclass(frozen=True)
class Model:
    """A model's declaration.

    Parameters
    ----------
    name : str
        Short name used on the command line, e.g. ``"touchpoint"``.
    title : str
        Title for people, e.g. ``"Touchpoint upsell"``.
    notebook : str
        File name in ``notebooks/``.
    params : tuple of Param
        The parameters, in the order people should read them.
    compute : callable
        Pure, vectorised function taking every parameter as a keyword and
        returning a frozen dataclass of results.
    outputs : tuple of Output
        The headline results (fields of the result), shown by ``cxmodels calc``.
    rules : tuple of Rule
        Cross-parameter rules.
    key_outputs : tuple of str
        The few outputs a summary table shows (default: the first four).
    conventions : str
        Timing and discounting conventions, stated at the end of every report.
    takes_distributions : bool
        ``compute`` accepts ``uncertainty=`` (parameter name -> distribution),
        so a scenario file may give a distribution instead of a number
        (see :mod:`cxmodels.core.uncertainty`).
    rank_assumptions : callable, optional
        ``(params, result, words, *, inputs, uncertainty) -> Ranking | None``:
        the uncertain assumptions by the value of measuring them, from the
        result's Monte Carlo; the summary page ranks by it where given.
    data_notebooks : tuple of (str, str)
        ``(kind, notebook)`` pairs: a data file of that kind named for a
        report turns it into that other notebook of the model (the business
        case with ``actuals`` becomes the plan-against-actual report).
    """

    name: str
    title: str
    notebook: str
    params: tuple[Param, ...]
    compute: Callable[..., Any]
    outputs: tuple[Output, ...]
    rules: tuple[Rule, ...] = ()
    key_outputs: tuple[str, ...] = ()
    conventions: str = ""
    takes_distributions: bool = False
    rank_assumptions: Callable[..., Ranking | None] | None = None
    data_notebooks: tuple[tuple[str, str], ...] = ()

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def notebook_for(self, kinds) -> str:
        """The notebook a report reads with data files of ``kinds``: the first of
        :attr:`data_notebooks` whose kind is given, else :attr:`notebook`."""
        return next((notebook for kind, notebook in self.data_notebooks if kind in kinds),
                    self.notebook)

    def param(self, name: str) -> Param:
        """The spec of one parameter."""
        return next(p for p in self.params if p.name == name)

    def output(self, name: str) -> Output:
        """One headline output."""
        return next(o for o in self.outputs if o.name == name)

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def validate(
        self,
        values: Mapping[str, object] | None = None,
        *,
        context: str = "",
        where: Mapping[str, str] | None = None,
    ) -> dict[str, ParamValue]:
        """Full, checked parameter set: ``values`` over the defaults.

        ``context`` prefixes every message; ``where`` prefixes the messages
        about one parameter (see :func:`cxmodels.core.params.validate`).
        """
        return validate(self.params, values, self.rules, context=context, where=where)

    def run(self, values: Mapping[str, object] | None = None, *, context: str = ""):
        """Validate ``values`` and compute the results."""
        return self.compute(**self.validate(values, context=context))

    def summary_outputs(self) -> tuple[Output, ...]:
        """The outputs a summary table shows: ``key_outputs`` or the first four."""
        if not self.key_outputs:
            return self.outputs[:4]
        return tuple(o for name in self.key_outputs for o in self.outputs if o.name == name)

    def headline(self, result: Any) -> dict[str, float | None]:
        """The outputs as plain floats (``None`` where not finite), for JSON."""
        out: dict[str, float | None] = {}
        for output in self.outputs:
            value = float(np.asarray(getattr(result, output.name)))
            out[output.name] = value if np.isfinite(value) else None
        return out

    def grid(
        self,
        params: Mapping[str, ParamValue],
        x_name: str,
        x_values: np.ndarray,
        y_name: str,
        y_values: np.ndarray,
        output: str,
    ) -> np.ndarray:
        """One output over a grid of two parameters, by broadcasting.

        Returns an array of shape ``(len(y_values), len(x_values))``; the other
        parameters keep their values in ``params``.
        """
        values = {
            **params,
            x_name: np.asarray(x_values, dtype=float)[None, :],
            y_name: np.asarray(y_values, dtype=float)[:, None],
        }
        result = getattr(self.compute(**values), output)
        return np.broadcast_to(result, (len(y_values), len(x_values)))


def format_value(param: Param, value: float, locale: str = "en") -> str:
    """A parameter value as people read it: shares in percent, money with unit
    (numbers written the ``locale``'s way; the unit stays as declared)."""
    if param.is_share:
        return percent_significant(value, digits=4, locale=locale)
    return f"{format_number(value, locale)} {param.unit}"
