"""``cxmodels voi``: what measuring before deciding is worth, and the business case's draws.

::

    cxmodels voi SCENARIO.yaml [--survey-cost EUR] [--study NAME] [--sizes N,N,...] [--pilot-sd X]
                 [--options backlog|each] [--json]

Also what ``cxmodels calc business_case`` adds: ``evpi`` and ``evppi`` in
its JSON, and ``--draws-out FILE.csv`` (or ``.parquet``), each draw's
assumption values and its NPV. Arithmetic in
:mod:`cxmodels.models.business_case.voi`; registered by :mod:`cxmodels.cli`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .core.errors import ParameterError
from .core.formatting import format_number
from .models.business_case import portfolio, voi as case_voi


def add_voi(commands) -> None:
    """The ``voi`` command."""
    parser = commands.add_parser(
        "voi", help="value of information: which uncertainty to measure before deciding (EUR)")
    parser.add_argument("scenario", metavar="SCENARIO.yaml", help="a business_case scenario file")
    parser.add_argument("--survey-cost", type=float, default=0.0, metavar="EUR",
                        help="cost of one answer or pilot customer, EUR (default: 0)")
    parser.add_argument("--study", metavar="NAME",
                        help="nps_survey, pilot or an uncertain share (default: every one possible)")
    parser.add_argument("--sizes", metavar="N,N,...",
                        help="sample sizes (default: " + ",".join(map(str, case_voi.SAMPLE_SIZES)) + ")")
    parser.add_argument("--pilot-sd", type=float, default=case_voi.PILOT_SD, metavar="X",
                        help="spread of one pilot customer's measured effect, x planned effect "
                             f"(default: {case_voi.PILOT_SD}, the package's, not measured)")
    parser.add_argument("--options", choices=portfolio.OPTION_SETS,
                        help="also the EVPI of choosing among the initiatives: the ranked backlog "
                             "cut after each one (backlog) or each in or out (each, at most "
                             f"{portfolio.MOST_FOR_EACH} initiatives)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run_voi)


def run_voi(args) -> int:
    from .reporting.scenarios.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    if scenario.model.name != "business_case":
        raise ParameterError(f"{args.scenario}: model `{scenario.model.name}`; the value of "
                             "information is for business_case scenarios (their Monte Carlo).")
    params = dict(scenario.parameters)
    if scenario.seed is not None:
        params["seed"] = scenario.seed
    if int(params["draws"]) < 1:
        raise ParameterError(f"{args.scenario}: draws = 0; the value of information needs the "
                             "Monte Carlo (give draws: 20000).")
    sizes = _sizes(args.sizes)
    if not args.pilot_sd > 0:
        raise ParameterError(f"--pilot-sd {args.pilot_sd}: the spread must be above 0 "
                             "(x planned effect, e.g. 1.0).")
    draws = case_voi.npv_draws(params, uncertainty=scenario.distributions)
    perfect = case_voi.value_of_information(params, draws=draws)
    studies = [args.study] if args.study else case_voi.study_choices(list(draws[0]))
    samples = [case_voi.sample_information(study, params, draws, cost_per_answer=args.survey_cost,
                                           sizes=sizes, pilot_sd=args.pilot_sd)
               for study in studies]
    choice = (portfolio.choice_information(params, uncertainty=scenario.distributions,
                                           option_set=args.options) if args.options else None)
    if args.json:
        print(json.dumps({**voi_record(perfect), "evsi": [_study_record(s) for s in samples],
                          **({"choice": choice_record(choice)} if choice else {})}))
        return 0
    print(f"EVPI (go / no-go): {_eur(perfect.evpi)} EUR over {perfect.draws} draws; "
          f"expected NPV {_eur(perfect.expected_npv)} EUR")
    print("EVPPI by assumption, EUR (standard error):")
    for name, estimate in [*perfect.evppi.items(), *perfect.groups.items()]:
        print(f"  {name:<32} {_eur(estimate.value):>12}  ({_eur(estimate.standard_error)})")
    for sample in samples:
        print(f"\n{sample.study} (measures {', '.join(sample.measures)}; EVPPI "
              f"{_eur(sample.evppi)} EUR; {format_number(sample.cost_per_answer)} EUR an answer):")
        print(f"  {'n':>7} {'EVSI EUR':>12} {'cost EUR':>12} {'net EUR':>12}")
        for n, estimate in sample.evsi.items():
            mark = "  <- best" if n == sample.best_n else ""
            print(f"  {n:>7} {_eur(estimate.value):>12} {_eur(sample.cost_per_answer * n):>12} "
                  f"{_eur(sample.net_value(n)):>12}{mark}")
        if sample.best_n is None:
            print("  not worth it: no sample size pays for itself")
    if choice is not None:
        print_choice(choice)
    return 0


def print_choice(choice: portfolio.ChoiceInformation) -> None:
    """The choice among initiatives: its EVPI and the options worth most, EUR."""
    print(f"\nEVPI of choosing the initiatives ({choice.option_set}, {len(choice.active)} options): "
          f"{_eur(choice.evpi)} EUR")
    print(f"  {'expected NPV EUR':>16} {'P(best)':>8}  initiatives")
    order = np.argsort(-choice.expected_npv)[:10]
    for option in order:
        mark = "  <- chosen now" if option == choice.best else ""
        names = "; ".join(choice.chosen(option)) or "none"
        print(f"  {_eur(round(choice.expected_npv[option]) or 0.0):>16} {choice.probability_best[option]:>8.1%}  "
              f"{names}{mark}")


def choice_record(choice: portfolio.ChoiceInformation) -> dict[str, object]:
    """The choice among initiatives for JSON: EVPI (EUR) and each option."""
    return {
        "option_set": choice.option_set, "evpi": choice.evpi, "best": choice.best,
        "options": [{"initiatives": list(choice.chosen(option)),
                     "expected_npv": float(choice.expected_npv[option]),
                     "probability_best": float(choice.probability_best[option])}
                    for option in range(len(choice.active))],
    }


def voi_record(result: case_voi.ValueOfInformation) -> dict[str, object]:
    """``evpi`` (EUR) and ``evppi`` (EUR per uncertain assumption, and per group) for JSON."""
    return {
        "evpi": result.evpi,
        "evppi": {name: e.value for name, e in result.evppi.items()},
        "evppi_standard_error": {name: e.standard_error for name, e in result.evppi.items()},
        "evppi_groups": {name: e.value for name, e in result.groups.items()},
    }


def calc_extras(params: Mapping[str, object], draws_out: str | None) -> dict[str, object]:
    """What ``calc business_case`` adds: the value of information, and the draws' file."""
    if draws_out and Path(draws_out).suffix.lower() not in (".csv", ".parquet"):
        raise ParameterError(f"--draws-out {draws_out}: give a file ending .csv or .parquet.")
    if int(params["draws"]) < 1:
        return {}
    draws = case_voi.npv_draws(params)
    if draws_out:
        write_draws(Path(draws_out), *draws)
    return voi_record(case_voi.value_of_information(params, draws=draws))


def write_draws(path: Path, assumptions: Mapping[str, np.ndarray], npv: np.ndarray) -> None:
    """Each draw's assumption values and its NPV (EUR), as CSV or Parquet by the suffix."""
    columns = {"draw": np.arange(npv.size), **assumptions, "npv": npv}
    if path.suffix.lower() == ".parquet":
        try:
            import pandas as pd
            pd.DataFrame(columns).to_parquet(path)
        except ImportError:
            raise ParameterError(f"--draws-out {path}: writing Parquet needs pyarrow, which is "
                                 "not installed; give a .csv file or `pip install pyarrow`.") from None
        return
    if path.suffix.lower() != ".csv":
        raise ParameterError(f"--draws-out {path}: give a file ending .csv or .parquet.")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(columns))
        writer.writerows(zip(*(values.tolist() for values in columns.values())))


def _study_record(sample: case_voi.SampleInformation) -> dict[str, object]:
    return {
        "study": sample.study, "measures": list(sample.measures), "evppi": sample.evppi,
        "cost_per_answer": sample.cost_per_answer,
        "evsi": {str(n): e.value for n, e in sample.evsi.items()},
        "evsi_standard_error": {str(n): e.standard_error for n, e in sample.evsi.items()},
        "best_n": sample.best_n, "best_net_value": sample.best_net_value,
    }


def _sizes(text: str | None) -> tuple[int, ...]:
    if not text:
        return case_voi.SAMPLE_SIZES
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise ParameterError(f"--sizes {text}: give whole numbers of answers above 0, "
                             "separated by commas, e.g. 100,400,1600.")
    return sizes


def _eur(value: float) -> str:
    return f"{value:,.0f}"
