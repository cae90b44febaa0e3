"""``cxmodels track``: the business case's plan against the months booked so far.

::

    cxmodels track SCENARIO.yaml|business_case --actuals FILE [--start YYYY-MM] [--set NAME=VALUE ...]
                   [--lang fi] [--json]

Argument parsing and one call each of the actuals reader
(:mod:`cxmodels.inputs.actuals`), the plan's Monte Carlo and its update
(:mod:`cxmodels.models.business_case.tracking`) and their words
(:mod:`cxmodels.models.business_case.tracking_words`). Registered on the
``cxmodels`` command by :mod:`cxmodels.cli`.
"""

from __future__ import annotations

import json
from datetime import date

from .core.errors import CxError
from .core.formatting import fixed, format_number, percent
from .core.settings import parse_settings
from .inputs.actuals import read_actuals, start_month
from .models import business_case
from .models.business_case import tracking, tracking_words
from .registry import get_model
from .reporting.words.language import DEFAULT_LANGUAGE, LANGUAGES, words_for


def add_track(commands) -> None:
    """The ``track`` command."""
    track = commands.add_parser(
        "track", help="the business case's plan against the months booked so far")
    track.add_argument("scenario", metavar="SCENARIO_OR_MODEL",
                       help="a business-case scenario file (.yaml) or `business_case`")
    track.add_argument("--actuals", required=True, metavar="FILE",
                       help="monthly actuals (CSV or xlsx): month or date, and any of benefit, "
                            "cost, net_cash, nps, churn, matters, fcr, self_service_share")
    track.add_argument("--start", metavar="YYYY-MM",
                       help="the programme's start month (its month 0), for a date column; "
                            "months after today are then refused")
    track.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                       dest="settings", help="override a parameter, e.g. --set draws=50000")
    track.add_argument("--lang", choices=LANGUAGES, default=DEFAULT_LANGUAGE, dest="language",
                       help="the language of the lines printed: en (default) or fi; --json "
                            "keys stay English")
    track.add_argument("--json", action="store_true", help="print one JSON object")
    track.set_defaults(handler=_track)


def _track(args) -> int:
    params, uncertainty, inputs, title = _plan(args.scenario, parse_settings(args.settings))
    actuals = read_actuals(args.actuals, start=_start(args.start),
                           horizon=int(params["horizon_months"]))
    if int(params["draws"]) < 1:
        raise CxError(f"draws = {int(params['draws'])}: tracking re-weighs the plan's Monte "
                      "Carlo; give --set draws=20000 (or more than 0).")
    plan = tracking.plan_draws(params, inputs.get("initiatives") or business_case.default_programme(),
                               uncertainty=uncertainty)
    result = tracking.track(plan, actuals)
    if args.json:
        print(json.dumps({"scenario": title, **tracking_words.record(result)}))
        return 0
    words = words_for(args.language)
    t, locale = words.t, words.locale
    print(title)
    for line in tracking_words.month_lines(result, words):
        print(f"  {line}")
    print(t("NPV, plan:    {band}").format(
        band=tracking_words.money_band(result.npv_percentiles(False), words)))
    print(t("NPV, updated: {band}").format(
        band=tracking_words.money_band(result.npv_percentiles(), words)))
    print(t("P(NPV > 0): {plan} -> {updated}").format(
        plan=percent(result.probability_npv_positive(False), 0, locale),
        updated=percent(result.probability_npv_positive(), 0, locale)))
    moved = tracking_words.assumptions_moved(result, words)
    print(t("assumptions the data moved: {list}").format(
        list="; ".join(moved) if moved else t("none")))
    line = t("effective draws: {effective} of {draws}").format(
        effective=format_number(round(result.effective_draws), locale),
        draws=format_number(plan.npv.size, locale))
    if result.tempering < 1:
        line += " " + t("(measurement error widened x{factor} to keep them)").format(
            factor=fixed(1 / result.tempering ** 0.5, 1, locale))
    print(line)
    print(t("verdict: {verdict}").format(verdict=tracking_words.verdict(result, words)))
    print(t("actuals: {path} (sha256 {sha}), {months} months").format(
        path=actuals.path, sha=actuals.sha256[:12], months=result.months_observed))
    return 0


def _plan(name: str, settings: dict[str, str]):
    """The plan's parameters, distributions, data inputs and title from a scenario or the model."""
    model = get_model("business_case")
    if name.lower().endswith((".yaml", ".yml")):
        from .reporting.scenarios import data_files
        from .reporting.scenarios.scenario import load_scenario

        scenario = load_scenario(name)
        if scenario.model.name != "business_case":
            raise CxError(f"{name}: a `{scenario.model.name}` scenario; tracking needs a "
                          "business_case scenario (model: business_case).")
        values = {**scenario.parameters,
                  **({"seed": scenario.seed} if scenario.seed is not None else {}), **settings}
        return (model.validate(values), scenario.distributions,
                data_files.compute_inputs(model, scenario.data), scenario.title)
    if name != "business_case":
        raise CxError(f"{name}: give a business-case scenario file (.yaml) or `business_case`.")
    return model.validate(dict(settings)), None, {}, model.title


def _start(text: str | None) -> date | None:
    try:
        return start_month(text)
    except CxError:
        raise CxError(f"--start {text}: write the programme's start month as YYYY-MM, "
                      "e.g. 2025-01.") from None
