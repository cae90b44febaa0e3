"""The value of information for the choice among initiatives: which to do, not only whether.

The go / no-go decision of :mod:`.voi` compares the whole programme with
doing nothing. A steering group usually chooses more finely: which
initiatives to do. Two sets of options:

- ``"backlog"``: the ranked backlog cut after 0, 1, ..., k initiatives (the
  ranking by each initiative's NPV alone at the point values, as the
  report's backlog table), k + 1 options;
- ``"each"``: every initiative in or out, ``2 ** k`` options (at most
  :data:`MOST_FOR_EACH` initiatives).

Each option's NPV is computed draw by draw from the same assumption draws
as the Monte Carlo (:func:`.voi.assumption_draws`), so the option "all
initiatives" is the programme's NPV draw for draw. Then
``EVPI = E[max_j NPV_j] - max_j E[NPV_j]`` over the options
(:func:`cxmodels.core.voi.evpi`): what knowing every assumption would be
worth to this choice, EUR.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ...core import finance
from ...core import voi
from ...core.errors import ParameterError
from ...core.params import ParamValue
from .case import SETTINGS
from .cash_flows import programme_flows
from .programme import Programme, default_programme
from .voi import assumption_draws

#: The option sets :func:`choice_information` knows.
OPTION_SETS = ("backlog", "each")
#: Most initiatives for the ``"each"`` options (2 ** 8 = 256 options).
MOST_FOR_EACH = 8
#: Draws evaluated at once (a chunk is draws x options x months floats).
CHUNK_DRAWS = 500


@dataclass(frozen=True)
class ChoiceInformation:
    """EVPI of the choice among initiatives, EUR.

    ``active`` has one row per option, 1 or 0 per initiative (in the order
    of the backlog file); ``expected_npv`` (EUR) and ``probability_best``
    one value per option; ``best`` is the option with the largest expected
    NPV (the choice without more information).
    """

    option_set: str
    initiatives: tuple[str, ...]
    active: np.ndarray
    expected_npv: np.ndarray
    probability_best: np.ndarray
    best: int
    evpi: float
    draws: int

    def chosen(self, option: int) -> tuple[str, ...]:
        """The initiatives an option does."""
        return tuple(name for name, on in zip(self.initiatives, self.active[option]) if on)


def options(programme: Programme, option_set: str, ranking: np.ndarray | None = None) -> np.ndarray:
    """The options' initiatives, one row per option (1 = done).

    ``"backlog"``: the first 0, 1, ..., k initiatives of ``ranking`` (indices,
    best first; default the file's order). ``"each"``: every subset, doing
    nothing first.

    Raises
    ------
    ParameterError
        An unknown option set, or ``"each"`` with more than :data:`MOST_FOR_EACH` initiatives.
    """
    k = len(programme)
    if option_set == "backlog":
        order = np.arange(k) if ranking is None else np.asarray(ranking)
        active = np.zeros((k + 1, k))
        for cut in range(1, k + 1):
            active[cut, order[:cut]] = 1.0
        return active
    if option_set == "each":
        if k > MOST_FOR_EACH:
            raise ParameterError(
                f"options = each: {k} initiatives give {2 ** k:,} options; at most "
                f"{MOST_FOR_EACH} initiatives (2 ** {MOST_FOR_EACH} options). Use options = "
                "backlog (the ranked backlog cut after each initiative) instead.")
        return np.array(list(itertools.product((0.0, 1.0), repeat=k)))
    raise ParameterError(f"options = {option_set!r}: not known; use one of "
                         f"{', '.join(OPTION_SETS)}.")


def point_ranking(params: Mapping[str, ParamValue], programme: Programme) -> np.ndarray:
    """The initiatives' indices by NPV alone at the point values, best first (EUR)."""
    point = {name: value for name, value in params.items() if name not in SETTINGS}
    alone = option_npv(point, programme, int(params["horizon_months"]), np.eye(len(programme)))
    return np.argsort(-np.asarray(alone).reshape(-1), kind="stable")


def option_npv(values: Mapping[str, ParamValue], programme: Programme, horizon: int,
               active: np.ndarray) -> np.ndarray:
    """NPV (EUR) of each option: shape ``values' shape + (options,)``."""
    shaped = {name: np.asarray(value, dtype=float)[..., None] for name, value in values.items()}
    cash = programme_flows(programme, horizon, active, detail=False, **shaped).cash
    return finance.npv(cash, shaped["annual_discount_rate"])


def option_npv_draws(params: Mapping[str, ParamValue], programme: Programme, active: np.ndarray,
                     uncertainty: Mapping[str, object] | None = None) -> np.ndarray:
    """Each option's NPV in every Monte Carlo draw (draws x options, EUR)."""
    drawn = assumption_draws(params, uncertainty)
    point = {name: value for name, value in params.items()
             if name not in SETTINGS and name not in drawn}
    draws, horizon = int(params["draws"]), int(params["horizon_months"])
    pieces = []
    for start in range(0, draws, CHUNK_DRAWS):
        chunk = {name: values[start:start + CHUNK_DRAWS] for name, values in drawn.items()}
        size = min(CHUNK_DRAWS, draws - start)
        fixed = {name: np.full(size, float(np.asarray(value).reshape(-1)[0]))
                 for name, value in point.items()}
        pieces.append(option_npv({**fixed, **chunk}, programme, horizon, active))
    return np.concatenate(pieces)


def choice_information(params: Mapping[str, ParamValue], programme: Programme | None = None,
                       uncertainty: Mapping[str, object] | None = None, *,
                       option_set: str = "backlog") -> ChoiceInformation:
    """EVPI of choosing among the initiatives (EUR), with each option's expected NPV.

    Parameters
    ----------
    params : mapping
        Validated plain values (with ``draws``, ``seed``, ``horizon_months``).
    programme : Programme, optional
        Default: the shipped backlog.
    uncertainty : mapping, optional
        The scenario's distributions (over the default ranges).
    option_set : {"backlog", "each"}
        See the module docstring.
    """
    programme = programme if programme is not None else default_programme()
    ranking = point_ranking(params, programme) if option_set == "backlog" else None
    active = options(programme, option_set, ranking)
    npv = option_npv_draws(params, programme, active, uncertainty)
    winners = np.bincount(npv.argmax(axis=1), minlength=active.shape[0])
    expected = npv.mean(axis=0)
    return ChoiceInformation(
        option_set=option_set,
        initiatives=tuple(programme.names),
        active=active,
        expected_npv=expected,
        probability_best=winners / npv.shape[0],
        best=int(expected.argmax()),
        evpi=voi.evpi(npv),
        draws=int(npv.shape[0]),
    )
