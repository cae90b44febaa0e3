"""``cxmodels calibrate``: the analyst's file in, a calibrated scenario file out.

::

    cxmodels calibrate sbg COHORTS.csv -o SCENARIO.yaml [--column ROLE=COLUMN ...]
    cxmodels calibrate transactions LOG.csv -o SCENARIO.yaml [--observed-until DATE] [--column ROLE=COLUMN ...]
    cxmodels calibrate crm CRM.csv -o SCENARIO.yaml [--survey SURVEY.csv] [--observed-until DATE] [--model business_case] [--column ROLE=COLUMN ...]
    cxmodels calibrate all [--transactions LOG.csv] [--crm CRM.csv] [--survey SURVEY.csv] [--cohorts COHORTS.csv] -o CASE.yaml

Argument parsing, one call of the calibration pipeline
(:mod:`cxmodels.calibration.pipeline`) and the scenario written by the one
scenario writer (:func:`cxmodels.reporting.scenarios.scenario.write_scenario`).
Registered on the ``cxmodels`` command by :mod:`cxmodels.cli`.
"""

from __future__ import annotations

from pathlib import Path

from .core.errors import ParameterError
from .core.settings import parse_settings
from .registry import get_model


def add_calibrate(commands) -> None:
    """The ``calibrate`` command and its sources (sbg, transactions, crm)."""
    calibrate = commands.add_parser(
        "calibrate", help="fit the retention model's inputs to your own data; write a scenario")
    sources = calibrate.add_subparsers(dest="source", required=True, metavar="SOURCE")
    cohorts = sources.add_parser(
        "sbg", help="cohort survival counts (cohort, period, active): annual churn (sBG)")
    cohorts.add_argument("path", metavar="COHORTS.csv")
    cohorts.add_argument("--period-months", type=float, default=12.0, metavar="MONTHS",
                         help="length of one period in months (default: 12, yearly renewals)")
    log = sources.add_parser(
        "transactions", help="a transaction log (customer, date, amount): churn, purchases "
                             "per month, basket value (BG/NBD, Gamma-Gamma)")
    log.add_argument("path", metavar="LOG.csv")
    log.add_argument("--observed-until", metavar="DATE",
                     help="end of the observation period, e.g. 2025-06-30 (default: the last "
                          "date in the log); later purchases are left out")
    log.add_argument("--allow-duplicates", action="store_true",
                     help="keep rows that repeat another row exactly as separate purchases")
    for source in (cohorts, log):
        source.add_argument("-o", "--output", required=True, metavar="SCENARIO.yaml",
                            help="the scenario file to write")
        source.add_argument("--column", action="append", default=[], metavar="ROLE=COLUMN",
                            dest="columns", help="the file's column for a role, e.g. "
                            "--column customer=CustID (repeatable)")
        source.add_argument("--model", choices=("retention", "business_case"),
                            default="retention",
                            help="the scenario's model (default: retention; business_case "
                                 "writes the values as distributions of their sampling "
                                 "uncertainty, for its Monte Carlo)")
        source.add_argument("--horizon-years", type=float, default=None, metavar="YEARS",
                            help="horizon at which the flat annual churn matches the fitted "
                                 "survival (default: the model's horizon, 3 years for "
                                 "retention, 5 for the business case)")
        source.add_argument("--title", help="the scenario's title (default: from the file name)")
        source.add_argument("--force", action="store_true", help="overwrite SCENARIO.yaml")
        source.set_defaults(handler=_calibrate)
    _add_calibrate_crm(sources)
    _add_calibrate_all(sources)


def _add_calibrate_all(sources) -> None:
    joined = sources.add_parser(
        "all", help="any of your files joined in one business case: every value names its "
                    "source; where two files measure the same thing, says which is used and why")
    for flag, what in (("--transactions", "LOG.csv"), ("--crm", "CRM.csv"),
                       ("--survey", "SURVEY.csv"), ("--cohorts", "COHORTS.csv")):
        joined.add_argument(flag, metavar=what, help=f"the {flag[2:]} file (optional)")
    joined.add_argument("-o", "--output", required=True, metavar="CASE.yaml",
                        help="the business-case scenario to write")
    joined.add_argument("--survey-column", action="append", default=[], metavar="ROLE=COLUMN",
                        dest="survey_columns", help="the survey's column for a role, e.g. "
                        "--survey-column nps=Q7 (repeatable)")
    joined.add_argument("--observed-until", metavar="DATE",
                        help="end of the transaction log's fit and of the CRM's observation")
    joined.add_argument("--allow-duplicates", action="store_true",
                        help="keep rows of the transaction log that repeat another exactly")
    joined.add_argument("--horizon-years", type=float, default=None, metavar="YEARS",
                        help="horizon the churn is matched at (default: the business case's 5)")
    joined.add_argument("--title", help="the scenario's title")
    joined.add_argument("--force", action="store_true", help="overwrite CASE.yaml")
    joined.set_defaults(handler=_calibrate_all)


def _calibrate_all(args) -> int:
    """`cxmodels calibrate all`: the joined scenario, written."""
    from .calibration.joined import calibrate_all

    if args.horizon_years is not None and not 0 < args.horizon_years <= 50:
        raise ParameterError(f"--horizon-years {args.horizon_years:g}: give a horizon above 0 and "
                             "at most 50 years.")
    scenario = calibrate_all(
        transactions=args.transactions, crm=args.crm, survey=args.survey, cohorts=args.cohorts,
        survey_columns=parse_settings(args.survey_columns, "--survey-column", "nps=Q7"),
        observed_until=_observed_until(args), allow_duplicates=args.allow_duplicates,
        horizon_years=args.horizon_years, title=args.title)
    target = _write_calibrated(scenario, args.output, args.force)
    for line in scenario.lines:
        print(line)
    print(f"scenario: {target}")
    return 0


def _add_calibrate_crm(sources) -> None:
    crm = sources.add_parser(
        "crm", help="a CRM export joined to NPS answers (customer, nps, start, end, revenue, "
                    "orders, referrals): the promoter model's shares and ratios, beside the "
                    "published ones")
    crm.add_argument("path", metavar="CRM.csv")
    crm.add_argument("-o", "--output", required=True, metavar="SCENARIO.yaml",
                     help="the scenario file to write")
    crm.add_argument("--column", action="append", default=[], metavar="ROLE=COLUMN",
                     dest="columns", help="the file's column for a role (customer, nps, start, "
                     "end, revenue, orders, referrals), e.g. --column nps=Q7 (repeatable)")
    crm.add_argument("--observed-until", metavar="DATE",
                     help="the day the export was taken, e.g. 2025-12-31 (default: the latest "
                          "date in the file); customers with no end date were customers then")
    crm.add_argument("--survey", metavar="SURVEY.csv",
                     help="take the NPS answers from this survey export (CSV or xlsx), joined "
                          "by the customer's id; the latest answer per customer counts")
    crm.add_argument("--survey-column", action="append", default=[], metavar="ROLE=COLUMN",
                     dest="survey_columns", help="the survey's column for a role (customer, "
                     "date, nps), e.g. --survey-column customer=CustID (repeatable)")
    crm.add_argument("--model", choices=("promoters", "business_case"), default="promoters",
                     help="the scenario's model: promoters (the estimates) or business_case "
                          "(the shared inputs as distributions from their sampling uncertainty)")
    crm.add_argument("--comparison", metavar="FILE.md",
                     help="also write the comparison with the published figures as Markdown")
    crm.add_argument("--title", help="the scenario's title (default: from the file name)")
    crm.add_argument("--force", action="store_true", help="overwrite SCENARIO.yaml")
    crm.set_defaults(handler=_calibrate_crm)


def _calibrate(args) -> int:
    """`cxmodels calibrate sbg|transactions`: the pipeline's scenario, written."""
    from .calibration import pipeline

    model = get_model(args.model)
    if args.horizon_years is not None and not 0 < args.horizon_years <= 50:
        raise ParameterError(f"--horizon-years {args.horizon_years:g}: give a horizon above 0 and "
                             "at most 50 years.")
    columns = parse_settings(args.columns, "--column", "customer=CustID")
    if args.source == "sbg":
        if not 0 < args.period_months <= 120:
            raise ParameterError(f"--period-months {args.period_months:g}: give 1 to 120 months.")
        scenario = pipeline.calibrate_cohorts(
            args.path, model, columns=columns, period_months=args.period_months,
            horizon_years=args.horizon_years, title=args.title)
    else:
        scenario = pipeline.calibrate_transactions(
            args.path, model, columns=columns, observed_until=_observed_until(args),
            allow_duplicates=args.allow_duplicates, horizon_years=args.horizon_years,
            title=args.title)
    target = _write_calibrated(scenario, args.output, args.force)
    for line in scenario.lines:
        print(line)
    print(f"scenario: {target}")
    return 0


def _write_calibrated(scenario, output: str, force: bool, before=None) -> Path:
    """The calibrated scenario written with the one scenario writer; ``before``
    runs once the scenario is known to be new (or ``--force``), before it is written."""
    from .reporting.scenarios.scenario import ScenarioError, write_scenario

    target = Path(output)
    if target.exists() and not force:
        raise ScenarioError(f"{target}: already exists; choose another file name or --force.")
    if before is not None:
        before()
    return write_scenario(scenario.model, scenario.title, scenario.parameters,
                          notes=scenario.notes, path=target, overwrite=force,
                          sources=scenario.sources)


def _observed_until(args):
    """``--observed-until`` as a date (None where not given), or a clear error."""
    from datetime import date

    if not args.observed_until:
        return None
    try:
        until = date.fromisoformat(args.observed_until)
    except ValueError:
        raise ParameterError(f"--observed-until {args.observed_until!r} is not a date; "
                             "write it as 2025-06-30.") from None
    if until > date.today():  # purchases "expected" in days not yet lived would inflate the fit
        raise ParameterError(f"--observed-until {until:%Y-%m-%d} is in the future (after "
                             f"{date.today():%Y-%m-%d}); give the day the export was taken.")
    return until


def _calibrate_crm(args) -> int:
    """`cxmodels calibrate crm`: every check and fit first, then the files, each atomically
    (the comparison is moved into place only once the scenario is written)."""
    from .calibration import pipeline
    from .reporting.scenarios.scenario import ScenarioError

    survey_columns = (parse_settings(args.survey_columns, "--survey-column", "customer=CustID")
                      if args.survey is not None else None)
    columns = parse_settings(args.columns, "--column", "nps=Q7")
    scenario = pipeline.calibrate_crm(
        args.path, get_model(args.model), columns=columns, observed_until=_observed_until(args),
        survey=args.survey, survey_columns=survey_columns, title=args.title)
    extra = Path(args.comparison) if args.comparison else None
    partial = extra.with_name(f".{extra.name}.partial") if extra else None

    def write_comparison() -> None:
        try:
            extra.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(scenario.comparison + "\n", encoding="utf-8")
        except OSError as error:
            raise ScenarioError(f"{extra}: cannot be written "
                                f"({error.strerror or error}).") from None

    try:
        target = _write_calibrated(scenario, args.output, args.force,
                                   before=write_comparison if extra else None)
        if partial is not None:
            partial.replace(extra)
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)
    for line in scenario.lines:
        print(line)
    print()
    print("Measured against the published figures:")
    print(scenario.comparison)
    print()
    print(f"scenario: {target}" + (f"\ncomparison: {extra}" if extra else ""))
    return 0
