"""``cxmodels sweep``: one model over a table of scenarios, one a row.

::

    cxmodels sweep MODEL --table FILE -o DIR [--id COLUMN ...] [--rank-by OUTPUT]
                   [--lang fi|en] [--pdf] [--no-workbook]
                   [--executor local|dask --scheduler ADDRESS]

Writes ``DIR/results.csv``, ``DIR/results.parquet``, ``DIR/summary.html`` and
``DIR/summary.xlsx`` (``--pdf``: also ``DIR/summary.pdf``).
The work is in :mod:`cxmodels.reporting.sweep`; registered by :mod:`cxmodels.cli`.
"""

from __future__ import annotations

import sys
import time

from .core.formatting import format_number


def add_sweep(commands) -> None:
    """The ``sweep`` command."""
    parser = commands.add_parser(
        "sweep", help="a model over a table of scenarios (one a row): results and a summary page")
    parser.add_argument("model", help="the model (see `cxmodels list`)")
    parser.add_argument("--table", required=True, metavar="FILE",
                        help="CSV, xlsx or Parquet: columns named like the parameters, "
                             "other columns kept as identifiers (e.g. store)")
    parser.add_argument("-o", "--output", required=True, metavar="DIR",
                        help="folder for results.csv, results.parquet, summary.html and "
                             "summary.xlsx")
    parser.add_argument("--id", action="append", default=[], dest="ids", metavar="COLUMN",
                        help="keep this column as an identifier although its name is close to "
                             "a parameter's (repeatable)")
    parser.add_argument("--rank-by", metavar="OUTPUT",
                        help="the result the summary ranks rows by (default: the model's first "
                             "key result)")
    parser.add_argument("--lang", dest="language", default="en", metavar="fi|en",
                        help="the summary's language (default en)")
    parser.add_argument("--pdf", action="store_true",
                        help="also print summary.pdf (A4) with headless Chromium")
    parser.add_argument("--no-workbook", dest="workbook", action="store_false",
                        help="leave out summary.xlsx")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="compute here (local) or on a Dask cluster (dask)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler, with --executor dask")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the summary's random sample of rows, for tables over "
                             "100,000 rows (default: 0)")
    parser.set_defaults(handler=run_sweep_command)


def run_sweep_command(args) -> int:
    from .reporting.outputs.pdf import PdfError, print_pdf
    from .reporting.sweep import run_sweep, write_summary, write_summary_workbook
    from .reporting.words.language import check_language

    language = check_language(args.language, "--lang")
    started = time.perf_counter()
    run = run_sweep(args.model, args.table, args.output, ids=args.ids, rank_by=args.rank_by,
                    executor=args.executor, scheduler=args.scheduler, seed=args.seed)
    written = [*run.files, write_summary(run, args.output, language)]
    if args.workbook:
        written.append(write_summary_workbook(run, args.output, language))
    missed = ""
    if args.pdf:
        try:
            written.append(print_pdf(written[2], written[2].with_suffix(".pdf")))
        except PdfError as error:
            missed = error.problems[0]
    print(f"{format_number(run.rows)} scenarios of {run.model.name} in "
          f"{time.perf_counter() - started:.1f} s: " + ", ".join(str(path) for path in written))
    if run.row_by_row:
        print(f"note: computed one row at a time ({run.row_by_row})")
    if missed:
        print(f"cxmodels: error: {missed} (the other files above are written)", file=sys.stderr)
        return 1
    return 0
