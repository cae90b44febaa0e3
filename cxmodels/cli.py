"""The ``cxmodels`` command.

::

    cxmodels list
    cxmodels params MODEL
    cxmodels calc MODEL [--set NAME=VALUE ...] [--data KIND=PATH ...] [--column ROLE=COLUMN ...] [--json]
    cxmodels calc --scenario FILE.yaml [--set NAME=VALUE ...] [--json]
    cxmodels report [MODEL ... | FILE.yaml ... | --all] [--set NAME=VALUE ...] [--data KIND=PATH ...] [-o DIR] [--lang fi|en] [--pdf] [--no-workbook]
    cxmodels batch FILE_OR_FOLDER ... [-o DIR] [--jobs N] [--lang fi|en] [--pdf] [--no-workbook]
    cxmodels serve [--idle MINUTES] [--status | --stop]
    cxmodels dashboard MODEL [--scenario FILE] [--port N] [--save-to DIR] [--lang fi]
    cxmodels sweep MODEL --table FILE -o DIR [--id COLUMN ...] [--lang fi|en] [--pdf] [--no-workbook] [--executor local|dask]
    cxmodels voi SCENARIO.yaml [--survey-cost EUR] [--study NAME] [--sizes N,N,...] [--json]
    cxmodels calibrate sbg COHORTS.csv -o SCENARIO.yaml [--column ROLE=COLUMN ...]
    cxmodels calibrate transactions LOG.csv -o SCENARIO.yaml [--observed-until DATE] [--column ROLE=COLUMN ...]
    cxmodels calibrate crm CRM.csv -o SCENARIO.yaml [--survey SURVEY.csv] [--observed-until DATE] [--model business_case] [--column ROLE=COLUMN ...]

A user's slip (unknown model or parameter, bad value) exits with status 2
and a one-line message per problem on stderr, never a traceback. A report
that fails exits with status 1 after the other reports have been written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .core.errors import CxError, ParameterError
from .core.model import Model
from .core.formatting import format_number, quantity_parts
from .registry import MODELS, get_model
from .core.paths import NOTEBOOKS
from .core.sources import describe_source
from .core.settings import parse_settings
from .cli_calibrate import add_calibrate
from .cli_voi import add_voi, calc_extras
from .cli_track import add_track
from .cli_sweep import add_sweep
from .reporting.execute.server import DEFAULT_IDLE_MINUTES


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except CxError as error:
        for line in error.problems:
            print(f"cxmodels: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cxmodels: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxmodels",
        description="The money behind customer-experience work: models, numbers, reports.",
    )
    parser.add_argument("--version", action="version", version=f"cxmodels {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = commands.add_parser("list", help="the models and their notebooks")
    listing.set_defaults(handler=_list)

    params = commands.add_parser("params", help="a model's parameters: unit, default, range, source")
    params.add_argument("model")
    params.set_defaults(handler=_params)

    calc = commands.add_parser("calc", help="a model's headline results, without a notebook")
    calc.add_argument("model", nargs="?", help="the model (or give --scenario)")
    calc.add_argument("--scenario", metavar="FILE",
                      help="a scenario file's values, data files, distributions and seed "
                           "(--set goes on top)")
    _add_set(calc)
    _add_data(calc)
    calc.add_argument("--json", action="store_true", help="print one JSON object")
    calc.add_argument("--draws-out", metavar="FILE.csv",
                      help="business_case: write each Monte Carlo draw's assumptions and NPV "
                           "(.csv or .parquet)")
    calc.set_defaults(handler=_calc)

    report = commands.add_parser("report", help="execute notebooks and render HTML reports")
    report.add_argument("models", nargs="*", metavar="MODEL",
                        help="models, or scenario files (*.yaml) with --set on top")
    report.add_argument("--all", action="store_true", help="every registered model")
    _add_set(report)
    _add_data(report)
    report.add_argument("-o", "--output", default="reports", metavar="DIR",
                        help="folder for the reports (default: reports)")
    _add_language(report, "the reports' language (default en)")
    _add_formats(report)
    report.set_defaults(handler=_report)

    serve = commands.add_parser(
        "serve", help="keep a report server warm: `cxmodels report` then takes about a second "
                      "(the first `cxmodels report` starts one by itself)")
    serve.add_argument("--idle", type=float, default=DEFAULT_IDLE_MINUTES, metavar="MINUTES",
                       help=f"stop after this many minutes without a report "
                            f"(default: {DEFAULT_IDLE_MINUTES})")
    what = serve.add_mutually_exclusive_group()
    what.add_argument("--status", action="store_true",
                      help="say whether a report server runs (exit 0) or not (exit 1)")
    what.add_argument("--stop", action="store_true", help="stop the running report servers")
    # Set by the `cxmodels report` that starts the server: a server already there is no error.
    what.add_argument("--background", action="store_true", help=argparse.SUPPRESS)
    serve.set_defaults(handler=_serve)

    batch = commands.add_parser("batch", help="render scenario files: reports, index.html, summary.csv")
    batch.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER",
                       help="scenario files (*.yaml) or folders of them")
    batch.add_argument("-o", "--output", default="reports", metavar="DIR",
                       help="folder for the reports (default: reports)")
    batch.add_argument("--jobs", type=int, default=1, metavar="N",
                       help="scenarios at a time (default: 1)")
    batch.add_argument("--executor", choices=("process", "dask"), default="process",
                       help="run here (process) or on a Dask cluster (dask)")
    batch.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, with --executor dask")
    batch.add_argument("--force", action="store_true", help="re-render up-to-date reports too")
    batch.add_argument("--cold", action="store_true",
                       help="a fresh kernel for every scenario (default: one kept kernel per "
                            "worker, reset between scenarios)")
    _add_language(batch, "the index's and every report's language, over each scenario file's "
                  "`language` (default: each file's, the index in en)")
    _add_formats(batch)
    batch.set_defaults(handler=_batch)

    dashboard = commands.add_parser(
        "dashboard", help="a model's what-if panel as a web page without code (Voila)")
    dashboard.add_argument("model", nargs="?", help="the model (or give --scenario)")
    dashboard.add_argument("--scenario", metavar="FILE", help="start from this scenario file")
    dashboard.add_argument("--port", type=int, default=8866,
                           help="port on 127.0.0.1 (default: 8866; 0: any free one)")
    dashboard.add_argument("--save-to", default=None, metavar="DIR",
                           help="folder for 'Save as scenario' (default: ~/cxmodels/scenarios)")
    dashboard.add_argument("--open", action="store_true", help="open it in the web browser")
    _add_language(dashboard, "the page's language (default: the scenario's, else en)")
    dashboard.set_defaults(handler=_dashboard)
    add_calibrate(commands)
    add_voi(commands)
    add_track(commands)
    add_sweep(commands)
    return parser


def _add_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", dest="settings",
        help="override a parameter, e.g. --set buyers_per_trip=6 (repeatable)",
    )


def _add_formats(parser: argparse.ArgumentParser) -> None:
    """``--NAME`` / ``--no-NAME`` for each registered output format
    (:mod:`cxmodels.reporting.outputs`): a new format needs no edit here."""
    from .reporting.outputs.registry import options

    for name, output in options().items():
        if output.default:
            parser.add_argument(f"--no-{name}", action="append_const", const=name, dest="drop",
                                default=[], help=f"do not write {output.help.removeprefix('the ')}"
                                if output.help else f"do not write the {output.suffix} file")
        else:
            parser.add_argument(f"--{name}", action="append_const", const=name, dest="add",
                                default=[], help=output.help or f"also write the {output.suffix} file")


def _formats(args) -> tuple[str, ...]:
    from .reporting.outputs import chosen

    return chosen(getattr(args, "add", ()), getattr(args, "drop", ()))


def _add_language(parser: argparse.ArgumentParser, help_text: str) -> None:
    from .reporting.words.language import LANGUAGES

    parser.add_argument("--lang", choices=LANGUAGES, default=None, dest="language",
                        help=help_text)


def _add_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", action="append", default=[], metavar="KIND=PATH", dest="data",
        help="a data file: survey=PATH (CSV or xlsx export), initiatives=PATH or "
             "touchpoints=PATH (repeatable); a survey measures the NPS mix",
    )
    parser.add_argument(
        "--column", action="append", default=[], metavar="ROLE=COLUMN", dest="columns",
        help="the survey's column for a role where not recognised: date, nps, ces, "
             "resolved, or a grouping name, e.g. --column nps=Q7 (repeatable)",
    )


def _data_options(args) -> tuple[dict[str, str], dict[str, str]]:
    """``--data`` and ``--column``; a data file given with ``--set`` is pointed there."""
    from .reporting.scenarios.data_files import KINDS

    misplaced = [name for name in parse_settings(args.settings)
                 if name.removesuffix("_file") in KINDS and name.endswith("_file")]
    if misplaced:
        raise CxError([f"--set {name}=... names a data file; give it as --data "
                       f"{name.removesuffix('_file')}=PATH." for name in misplaced])
    return (parse_settings(args.data, "--data", "survey=exports/q1.csv"),
            parse_settings(args.columns, "--column", "nps=Q7"))


def _list(args) -> int:
    rows = [(m.name, m.title, f"notebooks/{m.notebook}") for m in MODELS.values()]
    _print_table(("model", "title", "notebook"), rows)
    return 0


def _params(args) -> int:
    model = get_model(args.model)
    rows = [
        (p.name, "share (0-1)" if p.is_share else p.unit, format_number(p.default),
         p.describe_range(), describe_source(p.source))
        for p in model.params
    ]
    _print_table(("name", "unit", "default", "allowed range", "source"), rows)
    return 0


def _calc(args) -> int:
    from .reporting.scenarios import data_files
    from .reporting.execute.run import command_line_data

    if (args.model is None) == (args.scenario is None):
        raise ParameterError("name a model (see `cxmodels list`) or give --scenario FILE, "
                             "not both.")
    data, columns = _data_options(args)
    files, inputs, measured = (), {}, data_files.Measured()
    if args.scenario is not None:
        if data or columns:
            raise ParameterError("--data and --column: the scenario file names its data "
                                 "files; edit its `data:` and `columns:`.")
        model, values, files, inputs, measured = _scenario_values(args.scenario, args.settings)
    else:
        model = get_model(args.model)
        values = dict(parse_settings(args.settings))
    if args.scenario is None and (data or columns):
        files, columns, measured = command_line_data(model, NOTEBOOKS / model.notebook_for(data), data,
                                                     columns, values)
        values.update(measured.values)
        inputs = data_files.compute_inputs(model, files)
    validated = model.validate(values)
    if args.draws_out and model.name != "business_case":
        raise ParameterError(f"--draws-out: only business_case has Monte Carlo draws, not {model.name}.")
    result = model.compute(**validated, **inputs)
    headline = model.headline(result)
    if model.name == "business_case" and (args.json or args.draws_out):
        headline = {**headline, **calc_extras(validated, args.draws_out)}
    if args.json:
        extra = {"data": [f.as_record() for f in files if f.given]} if files else {}
        if measured.values:
            extra["measured"] = {"parameters": measured.values, "source": measured.source}
        print(json.dumps({**headline, **extra}))
        return 0
    rows = [(o.name, *quantity_parts(headline[o.name], o.unit)) for o in model.outputs]
    _print_table(("result", "value", "unit"), rows)
    for item in files:
        if item.given:
            print(f"data: {item.describe()}")
    for note in measured.notes:
        print(f"survey: {note}")
    if measured.values:
        print(f"measured: {', '.join(measured.values)} from {measured.source}")
    if measured.warning:
        print(f"cxmodels: warning: {measured.warning}", file=sys.stderr)
    return 0


def _scenario_values(path: str, settings: Sequence[str]):
    """A scenario file's model, values (``--set`` on top, its seed), data files,
    compute inputs (its distributions too) and survey measurements."""
    from .reporting.scenarios import data_files
    from .reporting.scenarios.scenario import load_scenario

    scenario = load_scenario(path)
    model = scenario.model
    values: dict[str, object] = dict(scenario.overrides)
    if scenario.seed is not None and "seed" in model.param_names:
        values["seed"] = scenario.seed  # as its report runs it
    overrides = parse_settings(settings)
    values.update(overrides)
    inputs = data_files.compute_inputs(model, scenario.data)
    kept = {name: d for name, d in scenario.distributions.items() if name not in overrides}
    if kept:  # a value set with --set is a point value, as on the panel
        inputs["uncertainty"] = kept
    return model, values, scenario.data, inputs, scenario.measured


#: True in a ``cxmodels serve`` process: reports run on its kept kernel, which outlives them.
_SERVING = False


def _serve(args) -> int:
    global _SERVING
    from .reporting.execute import daemon, server

    if args.status:
        return daemon.status()
    if args.stop:
        return daemon.stop()
    if not args.idle > 0:
        raise CxError(f"--idle {args.idle:g}: give the minutes to wait for a report, more than 0.")
    folder, print_ = server.runtime_folder(), server.fingerprint()
    lock = daemon.hold_lock(folder, print_)
    if lock is None:
        if args.background:
            return 0
        raise CxError("a report server for this checkout runs already; see `cxmodels serve "
                      "--status`, or stop it with `cxmodels serve --stop`.")

    def warm_up() -> None:
        import tempfile

        from .reporting.batch import warm_kernel
        from .reporting.execute.run import render_report

        print("starting a kernel and rendering a first report to warm everything up ...",
              flush=True)
        with tempfile.TemporaryDirectory(prefix="cxmodels-serve-") as folder:
            render_report(get_model("touchpoint"), {}, folder, kernel=warm_kernel(),
                          log=lambda line: None)

    daemon.interrupt_on_sigterm()  # `serve --stop` while warming up shuts the kernel down
    _SERVING = True
    try:
        server.serve(main, idle_seconds=args.idle * 60, warm_up=warm_up,
                     # the server's own output, not the caller's it relays while busy
                     log=lambda line: print(line, file=sys.__stdout__, flush=True),
                     details={"started_by": "cxmodels report" if args.background else "hand"})
    finally:
        _SERVING = False
        from .reporting.batch import close_warm_kernel

        close_warm_kernel()
        daemon.release_lock(folder, print_, lock)
    return 0


def _report(args) -> int:
    from .reporting.batch import close_warm_kernel, warm_kernel
    from .reporting.execute.run import render_report

    if args.all == bool(args.models):
        raise CxError("name the models to report on, or give --all (not both).")
    if any(Path(name).suffix.lower() in (".yaml", ".yml") for name in args.models):
        return _report_scenarios(args)
    models: list[Model] = list(MODELS.values()) if args.all else [get_model(n) for n in args.models]
    overrides = parse_settings(args.settings)
    data, columns = _data_options(args)
    if (overrides or data or columns) and len(models) > 1:
        raise CxError("--set, --data and --column apply to one model; name a single model with them.")
    if Path(args.output).exists() and not Path(args.output).is_dir():
        raise CxError(f"output folder {args.output}: a file of that name is in the way; "
                      "give another -o folder or move the file.")
    if data or columns:  # a slip fails now, before any kernel starts
        from .reporting.execute.run import command_line_data

        _, _, measured = command_line_data(models[0], NOTEBOOKS / models[0].notebook_for(data), data,
                                           columns, overrides)
        models[0].validate({**overrides, **measured.values})
    elif overrides:
        models[0].validate(overrides)  # a slip fails now, before any kernel starts
    failed = []
    try:
        for number, model in enumerate(models, start=1):
            print(f"({number}/{len(models)}) {model.title}", flush=True)
            try:
                render_report(model, overrides, args.output, log=lambda line: print(line, flush=True),
                              data=data, columns=columns,
                              kernel=warm_kernel() if len(models) > 1 or _SERVING else None,
                              formats=_formats(args), language=args.language)
            except CxError as error:
                failed.append(model.name)
                for line in error.problems:
                    print(f"cxmodels: error: [{model.name}] {line}", file=sys.stderr)
    finally:
        if not _SERVING:
            close_warm_kernel()
    if failed:
        print(f"cxmodels: {len(failed)} of {len(models)} reports failed: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0


def _report_scenarios(args) -> int:
    """``cxmodels report FILE.yaml ...``: each scenario file's report, ``--set`` on top."""
    from .reporting.batch import warm_kernel
    from .reporting.execute.run import render_report
    from .reporting.scenarios.scenario import load_scenario

    names = [name for name in args.models if Path(name).suffix.lower() not in (".yaml", ".yml")]
    if names:
        raise CxError(f"give models or scenario files, not both (models: {', '.join(names)}).")
    data, columns = _data_options(args)
    if data or columns:
        raise CxError("--data and --column: a scenario file names its data files; edit its "
                      "`data:` and `columns:`.")
    overrides = parse_settings(args.settings)
    if overrides and len(args.models) > 1:
        raise CxError("--set applies to one scenario; name a single file with it.")
    scenarios = [load_scenario(name) for name in args.models]  # every slip before any kernel
    for scenario in scenarios:
        scenario.model.validate({**scenario.overrides, **overrides}, context=f"{scenario.path}: ")
    failed = []
    for number, scenario in enumerate(scenarios, start=1):
        print(f"({number}/{len(scenarios)}) {scenario.title}", flush=True)
        try:
            render_report(scenario.model, {**scenario.overrides, **overrides}, args.output,
                          stem=scenario.stem, scenario=scenario,
                          log=lambda line: print(line, flush=True), formats=_formats(args),
                          language=args.language, kernel=warm_kernel() if _SERVING else None)
        except CxError as error:
            failed.append(str(scenario.path))
            for line in error.problems:
                print(f"cxmodels: error: [{scenario.path}] {line}", file=sys.stderr)
    if failed:
        print(f"cxmodels: {len(failed)} of {len(scenarios)} reports failed: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    return 0


def _batch(args) -> int:
    from tqdm.auto import tqdm

    from .reporting.batch import INDEX, IndexWriteError, run_batch
    from .reporting.scenarios.scenario import find_scenario_files

    if args.jobs < 1:
        raise CxError(f"--jobs {args.jobs}: give 1 or more scenarios at a time.")
    files = find_scenario_files(args.paths)
    with tqdm(total=len(files), unit="scenario", desc="batch", file=sys.stderr,
              disable=not sys.stderr.isatty()) as bar:
        def progress(outcome, done, total):
            bar.update(1)
            bar.write(f"{outcome.status:>7}  {outcome.file}"
                      + (f" ({outcome.seconds:.1f} s)" if outcome.status == "done" else ""))

        index_error = None
        try:
            outcomes = run_batch(files, args.output, jobs=args.jobs, executor=args.executor,
                                 scheduler=args.scheduler, force=args.force, warm=not args.cold,
                                 progress=progress, formats=_formats(args),
                                 language=args.language, keep_kernel=_SERVING)
        except IndexWriteError as error:  # the scenarios' own results still count
            outcomes, index_error = error.outcomes, error
        except KeyboardInterrupt:
            bar.write("interrupted: finished reports are kept; run the same command to do the rest.")
            raise
    counts = {s: sum(o.status == s for o in outcomes) for s in ("done", "skipped", "failed")}
    print(f"{counts['done']} rendered, {counts['skipped']} up to date, {counts['failed']} failed; "
          + ("no index (see below)" if index_error else f"index: {Path(args.output) / INDEX}"))
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"cxmodels: error: {outcome.file} failed:", file=sys.stderr)
            for line in outcome.message.splitlines():
                print(f"    {line}", file=sys.stderr)
    if index_error is not None:
        raise index_error
    return 1 if counts["failed"] else 0


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())


if __name__ == "__main__":
    sys.exit(main())


def _dashboard(args) -> int:
    from .interactive.dashboard import SAVED_SCENARIOS, dashboard_notebook, serve  # noqa: F401

    if args.model is None and args.scenario is None:
        raise ParameterError("name a model (see `cxmodels list`) or give --scenario FILE.")
    model = args.model or "touchpoint"
    if args.scenario is not None:
        from .reporting.scenarios.scenario import load_scenario

        model = load_scenario(args.scenario).model.name
    get_model(model)
    if not 0 <= args.port <= 65535:
        raise ParameterError(f"--port {args.port}: give a port from 1 to 65535, or 0 for any free one.")
    save_to = args.save_to or SAVED_SCENARIOS
    dashboard_notebook(model, args.scenario, save_to, args.language)  # slips before serving
    return serve(model, scenario=args.scenario, port=args.port, save_folder=save_to,
                 open_browser=args.open, language=args.language)
