"""Attack the inputs and the batch as a careless user or an attacker would; count the outcomes.

Run with ``python benchmarks/attack_inputs.py`` (add ``--render`` for the
cases that execute notebooks: a few seconds each). Every case is one bad or
odd input; its outcome is one of

- **clean**: refused with one line per problem naming the file (or the
  parameter), or read the way a person means it;
- **silent**: accepted with a meaning the user did not intend (a number
  misread, a duplicate key dropped, a formula or script kept as markup);
- **unclear**: refused, but with a message that spans lines or names no
  file or parameter (a notebook crash with an internal message counts here);
- **traceback**: an exception a user would see as a Python traceback.

It uses only the package's public functions that existed before issue 15,
so the same script measures an older checkout: ``PYTHONPATH=/path/to/old
python benchmarks/attack_inputs.py``. The counts go in docs/reliability.md;
nothing is written outside a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cxmodels.core.errors import CxError

CASES: list[tuple[str, str, Callable[[Path], str]]] = []
RENDER = False


def case(family: str, name: str):
    def register(function):
        CASES.append((family, name, function))
        return function
    return register


def attempt(action: Callable[[], object]) -> tuple[str, object]:
    """("ok", value), ("error", problems) for a CxError, or ("crash", exception)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return "ok", action()
    except CxError as error:
        return "error", list(error.problems)
    except (Exception, RecursionError, MemoryError) as error:  # noqa: BLE001 - what we count
        return "crash", error


def refused(action, names: str) -> str:
    """Expect a refusal whose every line is one line naming ``names``."""
    kind, value = attempt(action)
    if kind == "crash":
        return "traceback"
    if kind == "ok":
        return "silent"
    lines = [line for problem in value for line in str(problem).splitlines()]
    # A wall of problems (one per key of a 150,000-key file) is no clear error either.
    clear = len(lines) == len(value) <= 20 and all(names in line for line in lines)
    return "clean" if clear else "unclear"


def reads_as(action, check: Callable[[object], bool]) -> str:
    """Expect the input accepted and read as meant."""
    kind, value = attempt(action)
    if kind == "crash":
        return "traceback"
    if kind == "error":
        return "unclear"
    return "clean" if check(value) else "silent"


# --- Scenario files -----------------------------------------------------------

HEAD = "title: Bus\nmodel: touchpoint\n"


def scenario(tmp: Path, text: str | bytes, name: str = "s.yaml") -> Path:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(path):
    from cxmodels.reporting.scenarios.scenario import load_scenario

    return lambda: load_scenario(path)


def _register_scenario_cases() -> None:
    refusals = {
        "integer top-level key": HEAD + "2024: 3\n",
        "boolean top-level key (on:)": HEAD + "on: 3\n",
        "null top-level key": HEAD + "null: 3\n",
        "integer key under parameters": HEAD + "parameters:\n  2024: 3\n",
        "boolean key under parameters": HEAD + "parameters:\n  yes: 3\n",
        "null key under parameters": HEAD + "parameters:\n  ~: 3\n",
        "second parameters block": HEAD + "parameters:\n  buyers_per_trip: 2\nparameters:\n  spend_per_buyer: 15\n",
        "duplicate model": HEAD + "model: retention\n",
        "duplicate parameter": HEAD + "parameters:\n  buyers_per_trip: 2\n  buyers_per_trip: 3\n",
        "sexagesimal 1:30": HEAD + "parameters:\n  spend_per_buyer: 1:30\n",
        "hex 0x10": HEAD + "parameters:\n  buyers_per_trip: 0x10\n",
        "octal 0o17": HEAD + "parameters:\n  buyers_per_trip: 0o17\n",
        "billion laughs": HEAD + 'parameters:\n  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"  a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
        "a small alias": HEAD + "notes: &n hello\nparameters:\n  buyers_per_trip: *n\n",
        "deep nesting": HEAD + "notes: " + "[" * 3000 + "]" * 3000 + "\n",
        "python tag": "title: !!python/object/apply:os.system ['true']\nmodel: touchpoint\n",
        "binary tag": HEAD + "notes: !!binary aGVsbG8=\n",
        "set tag": HEAD + "notes: !!set {a, b}\n",
        "two documents": HEAD + "---\n" + HEAD,
        "control character": HEAD.replace("Bus", "Bus\x08"),
        "not UTF-8 (Latin-1)": ("title: Café\nmodel: touchpoint\n").encode("latin-1"),
        "a list at the top": "- title: Bus\n- model: touchpoint\n",
        "empty file": "",
        "tab indentation": HEAD + "parameters:\n\tbuyers_per_trip: 2\n",
        "unknown model": "title: Bus\nmodel: touchpont\n",
        "seed as text": HEAD + "seed: abc\n",
        "negative seed": HEAD + "seed: -1\n",
        "parameter as list": HEAD + "parameters:\n  buyers_per_trip: [1, 2]\n",
        "parameter NaN": HEAD + "parameters:\n  buyers_per_trip: .nan\n",
        "parameter inf": HEAD + "parameters:\n  spend_per_buyer: .inf\n",
        "share in percent": HEAD + "parameters:\n  gross_margin: 30\n",
        "boolean parameter": HEAD + "parameters:\n  buyers_per_trip: true\n",
        "huge file (2 MB)": HEAD + "parameters:\n" + "".join(f"  p{i}: {i}\n" for i in range(150_000)),
        "many keys (6,000)": HEAD + "parameters:\n" + "".join(f"  p{i}: 1\n" for i in range(6_000)),
        "absurd money 1e308": HEAD + "parameters:\n  setup_cost: 1e308\n",
    }
    for name, text in refusals.items():
        def run(tmp, text=text):
            path = scenario(tmp, text)
            return refused(load(path), str(path))
        case("scenario file", name)(run)

    readings = {
        "1e-300 is a number": (HEAD + "parameters:\n  gross_margin: 1e-300\n",
                               lambda s: s.overrides.get("gross_margin") == 1e-300),
        "1e3 is a number": (HEAD + "parameters:\n  spend_per_buyer: 1e3\n",
                            lambda s: s.overrides.get("spend_per_buyer") == 1000),
        "010 is ten": (HEAD + "seed: 010\n", lambda s: s.seed == 10),
        "date-like title stays text": ("title: 2024-01-31\nmodel: touchpoint\n",
                                       lambda s: s.title == "2024-01-31"),
        "title 'no' stays text": ("title: no\nmodel: touchpoint\n", lambda s: s.title == "no"),
        "byte-order mark": ("\ufeff" + HEAD, lambda s: s.title == "Bus"),
        "Windows line ends": (HEAD.replace("\n", "\r\n"), lambda s: s.title == "Bus"),
    }
    for name, (text, check) in readings.items():
        def run(tmp, text=text, check=check):
            return reads_as(load(scenario(tmp, text)), check)
        case("scenario file", name)(run)


_register_scenario_cases()


@case("scenario file", ".YAML extension in a folder")
def _upper_case_suffix(tmp):
    from cxmodels.reporting.scenarios.scenario import find_scenario_files

    scenario(tmp, HEAD, "BUS.YAML")
    scenario(tmp, HEAD, "a.yaml")
    return reads_as(lambda: find_scenario_files([tmp]), lambda files: len(files) == 2)


# --- CSV files ------------------------------------------------------------------

TOUCH = "journey_stage,touchpoint,visits_per_day,buyer_share,spend_per_buyer,operating_days\n"
INIT = ("issue,how,resources,by_when,owner,one_off_cost,running_cost_per_month,start_month,"
        "months_to_full_effect,lever,lever_size\n")
SURVEY = "response_id,response_date,channel,nps_score,ces_score,resolved_first_contact\n"


def _touchpoints(path):
    from cxmodels.models.touchpoint import load_touchpoints

    return lambda: load_touchpoints(path)


def _initiatives(path):
    from cxmodels.models.business_case import load_initiatives

    return lambda: load_initiatives(path)


def _survey(path):
    from cxmodels.models.metrics import load_survey

    return lambda: load_survey(path)


def _register_csv_cases() -> None:
    table_refusals = {
        "touchpoints: share in percent": ("t", TOUCH + "a,Bus,520,12.5,20,360\n"),
        "touchpoints: text in a number": ("t", TOUCH + "a,Bus,lots,0.1,20,360\n"),
        "touchpoints: missing column": ("t", TOUCH.replace(",operating_days", "") + "a,Bus,520,0.1,20\n"),
        "touchpoints: header only": ("t", TOUCH),
        "touchpoints: empty file": ("t", ""),
        "touchpoints: binary": ("t", b"\x00\x01\x02PK"),
        "touchpoints: extra cell in first row": ("t", TOUCH + "a,Bus,520,0.1,20,360,x\nb,Desk,1,0.1,1,1\n"),
        "touchpoints: extra cell in a later row": ("t", TOUCH + "a,Bus,520,0.1,20,360\nb,Desk,1,0.1,1,1,x\n"),
        "touchpoints: NaN": ("t", TOUCH + "a,Bus,nan,0.1,20,360\n"),
        "touchpoints: inf": ("t", TOUCH + "a,Bus,inf,0.1,20,360\n"),
        "touchpoints: negative": ("t", TOUCH + "a,Bus,-5,0.1,20,360\n"),
        "touchpoints: blank name": ("t", TOUCH + ",Bus,5,0.1,20,360\n"),
        "touchpoints: ambiguous 2.400 beside 2.5": ("t", TOUCH.replace(",", ";")
                                                    + "a;Bus;520;0,1;2.400;360\nb;D;1;0,1;2.5;1\n"),
        "initiatives: 1e308 cost": ("i", INIT + "A,B,C,2027,D,1e308,0,0,1,buyer_share,0.05\n"),
        "initiatives: unknown lever": ("i", INIT + "A,B,C,2027,D,1,0,0,1,buyer_shar,0.05\n"),
        "survey: every NPS blank": ("s", SURVEY + "R1,2024-01-01,phone,,3,1\nR2,2024-01-02,chat,,4,0\n"),
        "survey: duplicate response ids": ("s", SURVEY + "R1,2024-01-01,phone,9,3,1\nR1,2024-01-01,phone,9,3,1\n"),
        "survey: NPS 11": ("s", SURVEY + "R1,2024-01-01,phone,11,3,1\n"),
        "survey: bad date": ("s", SURVEY + "R1,31/31/2024,phone,9,3,1\n"),
        "survey: FCR maybe": ("s", SURVEY + "R1,2024-01-01,phone,9,3,maybe\n"),
    }
    loaders = {"t": _touchpoints, "i": _initiatives, "s": _survey}
    for name, (kind, text) in table_refusals.items():
        def run(tmp, kind=kind, text=text):
            path = scenario(tmp, text, "data.csv")
            return refused(loaders[kind](path), str(path))
        case("CSV file", name)(run)

    readings = {
        "touchpoints: dotted thousands 2.400": (
            TOUCH.replace(",", ";") + "a;Bus;2.400;0,125;20,5;360\n",
            lambda t: float(t["visits_per_day"].iloc[0]) == 2400),
        "touchpoints: 1.234,5 spend": (
            TOUCH.replace(",", ";") + "a;Bus;1;0,125;1.234,5;360\n",
            lambda t: float(t["spend_per_buyer"].iloc[0]) == 1234.5),
        "touchpoints: decimal comma": (
            TOUCH.replace(",", ";") + "a;Bus;520;0,125;20,5;360\n",
            lambda t: float(t["buyer_share"].iloc[0]) == 0.125),
        "touchpoints: byte-order mark and blank lines": (
            "\ufeff" + TOUCH + "\na,Bus,520,0.125,20,360\n\n",
            lambda t: len(t) == 1),
        "touchpoints: quoted comma in a name": (
            TOUCH + 'a,"Bus, city",520,0.125,20,360\n', lambda t: t["touchpoint"].iloc[0] == "Bus, city"),
    }
    for name, (text, check) in readings.items():
        def run(tmp, text=text, check=check):
            return reads_as(_touchpoints(scenario(tmp, text, "data.csv")), check)
        case("CSV file", name)(run)


_register_csv_cases()


@case("CSV file", "initiative after the horizon says so")
def _late_initiative(tmp):
    from cxmodels.models import business_case as bc

    path = scenario(tmp, INIT + "Now,B,C,2027,D,1000,0,0,1,buyer_share,0.05\n"
                    "Later,B,C,2031,D,1000,0,90,1,buyer_share,0.05\n", "i.csv")

    def run():
        programme = bc.load_initiatives(path)
        result = bc.compute(**bc.MODEL.validate({"draws": 0, "horizon_months": 60}), initiatives=programme)
        return bc.initiative_table(programme, result)

    return reads_as(run, lambda t: "horizon" in str(t.loc[t["Initiative"] == "Later", "NPV alone"].item()))


# --- Parameters -------------------------------------------------------------------

def _register_parameter_cases() -> None:
    from cxmodels.registry import MODELS

    values = {"NaN": float("nan"), "inf": float("inf"), "-1": -1, "1e308": 1e308, "text": "abc",
              "True": True}
    for model in ("touchpoint", "promoters", "retention", "business_case"):
        spec = MODELS[model].params[0]
        for label, value in values.items():
            def run(tmp, model=model, name=spec.name, value=value):
                return refused(lambda: MODELS[model].validate({name: value}), name)
            case("parameter value", f"{model}.{spec.name} = {label}")(run)


_register_parameter_cases()


@case("parameter value", "CLI --set with a typo")
def _cli_typo(tmp):
    from cxmodels.cli import main

    def run():
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["calc", "touchpoint", "--set", "buyers_per_trp=3"])
        if code == 0:
            return None
        raise CxError(err.getvalue().strip().splitlines())

    return refused(run, "buyers_per_trp")


# --- Reports and summary: injection ---------------------------------------------------

SCRIPT = "<script>alert('x')</script>"


@case("injection", "script in an initiative name (table)")
def _script_initiative(tmp):
    from cxmodels.models import business_case as bc
    from cxmodels.reporting.execute import notebook as nb

    path = scenario(tmp, INIT + f"\"{SCRIPT}\",B,C,2027,D,1000,0,0,1,buyer_share,0.05\n", "i.csv")

    def run():
        programme = bc.load_initiatives(path)
        result = bc.compute(**bc.MODEL.validate({"draws": 0}), initiatives=programme)
        return nb.left_aligned(bc.initiative_table(programme, result)).to_html()

    return reads_as(run, lambda page: "<script>" not in page)


@case("injection", "script in a touchpoint name (table)")
def _script_touchpoint(tmp):
    from cxmodels.models import touchpoint
    from cxmodels.reporting.execute import notebook as nb

    path = scenario(tmp, TOUCH + f"a,\"{SCRIPT}\",520,0.125,20,360\n", "t.csv")

    def run():
        ranked = touchpoint.rank_touchpoints(touchpoint.load_touchpoints(path))
        return nb.left_aligned(touchpoint.present_ranking(ranked)).to_html()

    return reads_as(run, lambda page: "<script>" not in page)


@case("injection", "image tag in a survey channel (headline)")
def _script_channel(tmp):
    from cxmodels.models import metrics

    rows = [f"R{d},2024-01-{d:02d},<img src=x onerror=alert(1)>,10,2,1" for d in range(1, 10)]
    rows += [f"S{d},2024-01-{d:02d},phone,3,5,0" for d in range(1, 10)]
    path = scenario(tmp, SURVEY + "\n".join(rows) + "\n", "s.csv")

    def run():
        survey = metrics.load_survey(path)
        return metrics.headline(metrics.MODEL.validate({}), metrics.summarise(survey), survey,
                                metrics.summarise(survey, by="channel"))

    return reads_as(run, lambda text: "<img" not in text)


def _summary_title(tmp, title: str) -> str:
    from cxmodels.reporting.batch import Outcome, write_index

    record = {"title": title, "model": "touchpoint", "results": {"revenue_per_year": 1.0}}
    (tmp / "x.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp / "x.html").write_text("<html></html>", encoding="utf-8")

    def run():
        write_index([Outcome("x.yaml", "x", "done")], tmp)
        (row,) = csv.DictReader(open(tmp / "summary.csv", encoding="utf-8", newline=""))
        return row["title"]

    return reads_as(run, lambda cell: not cell.startswith(("=", "+", "-", "@", "\t", "\r")))


for _title in ("=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
    case("injection", f"formula title {_title!r} in summary.csv")(
        lambda tmp, title=_title: _summary_title(tmp, title))


# --- Batch and output folder -----------------------------------------------------------

def _batch(files, out):
    from cxmodels.reporting.batch import run_batch

    return lambda: run_batch(files, out, jobs=1)


@case("batch", "output folder is a file")
def _out_is_file(tmp):
    (tmp / "out").write_text("x")
    return refused(_batch([scenario(tmp, "title: x\n")], tmp / "out"), str(tmp / "out"))


@case("batch", "output folder name too long")
def _out_too_long(tmp):
    out = tmp / ("x" * 300)
    return refused(_batch([scenario(tmp, "title: x\n")], out), str(out))


@case("batch", "output on a read-only file system")
def _out_read_only(tmp):
    out = Path("/sys/cxmodels-attack")
    return refused(_batch([scenario(tmp, "title: x\n")], out), str(out))


@case("batch", "full disk at the index")
def _full_disk(tmp):
    out = tmp / "out"
    out.mkdir()
    (out / ".summary.csv.partial").symlink_to("/dev/full")
    verdict = refused(_batch([scenario(tmp, "title: x\n")], out), str(out))
    partials = [p for p in os.listdir(out) if "partial" in p]
    return "silent" if partials and verdict == "clean" else verdict


@case("batch", "three bad files: each fails alone, the index is written")
def _bad_beside_good(tmp):
    files = [scenario(tmp, HEAD + "2024: 3\n", "a.yaml"),
             scenario(tmp, HEAD + "notes: &x [*x]\n", "b.yaml"),
             scenario(tmp, "title: x\n", "c.yaml")]
    out = tmp / "out"
    return reads_as(_batch(files, out), lambda outcomes: (out / "index.html").is_file()
                    and all(o.status == "failed" and "\n" not in o.message for o in outcomes))


@case("batch", "index covers records of an earlier run")
def _index_covers(tmp):
    from cxmodels.reporting.batch import Outcome, write_index

    for stem in ("a", "b"):
        record = {"title": stem, "model": "touchpoint", "results": {"revenue_per_year": 1.0}}
        (tmp / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")
        (tmp / f"{stem}.html").write_text("<html></html>", encoding="utf-8")

    def run():
        write_index([Outcome("b.yaml", "b", "done")], tmp)
        return list(csv.DictReader(open(tmp / "summary.csv", encoding="utf-8")))

    return reads_as(run, lambda rows: len(rows) == 2)


# --- Rendered notebooks (with --render) ------------------------------------------------

def _render(tmp, model_name, overrides):
    from cxmodels.registry import MODELS
    from cxmodels.reporting.execute.run import render_report

    return lambda: render_report(MODELS[model_name], overrides, tmp, log=lambda line: None)


RENDER_CASES = {
    "business case, draws = 0": ("business_case", {"draws": 0}),
    "bus with nobody on it": ("touchpoint", {"passengers_per_trip": 0, "buyers_per_trip": 0}),
    "promoters, customers = 1e308": ("promoters", {"customers": 1e308}),
    "touchpoint, setup_cost = 1e308": ("touchpoint", {"setup_cost": 1e308}),
}


# Issue 25: hostile workbooks and the silent cases. Each workbook case runs in a
# forked child with a time limit: an old checkout hangs on 20 million blank rows
# (openpyxl) and a reader that allocates a cell at XFD1048576 aborts its process.
SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
         '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
WORKBOOK_SECONDS = 120


def _workbook(path: Path, sheet_xml: bytes | None = None, rows=None, stored=False) -> Path:
    """An xlsx written by openpyxl (``rows``), its first sheet's XML replaced by ``sheet_xml``."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    for row in rows or [["placeholder"]]:
        book.active.append(row)
    book.save(path.with_suffix(".tmp"))
    if sheet_xml is None:
        path.with_suffix(".tmp").rename(path)
        return path
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path.with_suffix(".tmp")) as source, zipfile.ZipFile(path, "w", method) as target:
        for item in source.infolist():
            body = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item.filename, body)
    return path


def _in_child(verdict: Callable[[], str]) -> str:
    """The verdict computed in a forked child: a hang or an aborted process is counted too."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=lambda: queue.put(verdict()))
    child.start()
    child.join(WORKBOOK_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()
        return "unclear"  # hung past the limit: no answer at all
    return queue.get() if child.exitcode == 0 and not queue.empty() else "traceback"


def _register_workbook_cases() -> None:
    header = "<row>" + "".join(f'<c r="{c}1" t="inlineStr"><is><t>{n}</t></is></c>'
                               for c, n in zip("AB", ("response_date", "nps_score"))) + "</row>"
    body = '<row r="2"><c r="A2" t="inlineStr"><is><t>2024-03-01</t></is></c><c r="B2"><v>9</v></c></row>'
    sheets = {
        "20 million blank rows": (SHEET + header + body).encode() + b"<row/>" * 20_000_000
        + b"</sheetData></worksheet>",
        "a cell at XFD1048576": (SHEET + header + body + '<row r="1048576"><c r="XFD1048576"><v>1</v>'
                                 "</c></row></sheetData></worksheet>").encode(),
        "malformed sheet XML": (SHEET + header + '<row r="2"><c r="A2"><v>1</row>').encode(),
    }
    for name, sheet in sheets.items():
        def run(tmp, sheet=sheet):
            path = _workbook(tmp / "survey.xlsx", sheet)
            return _in_child(lambda: refused(_survey(path), str(path)))
        case("workbook", name)(run)

    @case("workbook", "CRC error")
    def _crc(tmp):
        path = _workbook(tmp / "survey.xlsx", (SHEET + header + body + "</sheetData></worksheet>").encode(),
                         stored=True)
        data = path.read_bytes()
        path.write_bytes(data.replace(b"<v>9</v>", b"<v>8</v>"))
        return _in_child(lambda: refused(_survey(path), str(path)))

    @case("workbook", "formulas without saved results")
    def _formulas(tmp):
        rows = [["response_date", "nps_score"]] + [[f"2024-03-{d:02d}", f"=5+{d % 5}" if d % 4 else 9]
                                                   for d in range(1, 41)]
        path = _workbook(tmp / "survey.xlsx", rows=rows)
        return _in_child(lambda: refused(_survey(path), str(path)))

    @case("workbook", "a zip that is no workbook")
    def _not_workbook(tmp):
        import zipfile

        path = tmp / "survey.xlsx"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "hello")
        return _in_child(lambda: refused(_survey(path), str(path)))


_register_workbook_cases()


def _register_silent_cases() -> None:
    row = "a,Bus,520,0.125,20,360\n"
    csv_refusals = {
        "touchpoints: two columns of one name": TOUCH.rstrip("\n") + ",buyer_share\n" + row.rstrip("\n") + ",0.5\n",
        "touchpoints: a row given twice": TOUCH + row + "b,Desk,140,0.1,18,360\n" + row,
        "touchpoints: byte 0x81": (TOUCH + row).encode() + b"b,Desk\x81,140,0.1,18,360\n",
    }
    for name, text in csv_refusals.items():
        def run(tmp, text=text):
            path = tmp / "t.csv"
            path.write_bytes(text if isinstance(text, bytes) else text.encode())
            return refused(_touchpoints(path), str(path))
        case("silent (issue 25)", name)(run)

    @case("silent (issue 25)", "initiatives: a row given twice")
    def _twice(tmp):
        line = "Slow replies,Chat bot,IT,2027-01,Owner,1000,100,0,3,nps_points,2\n"
        path = tmp / "i.csv"
        path.write_text(INIT + line + line, encoding="utf-8")
        return refused(_initiatives(path), str(path))

    @case("silent (issue 25)", "a 40,000-character title")
    def _long_title(tmp):
        return refused(load(scenario(tmp, "title: " + "x" * 40_000 + "\nmodel: touchpoint\n")), "s.yaml")

    @case("silent (issue 25)", "calibrate transactions --observed-until 2099-01-01")
    def _future(tmp):
        from cxmodels.cli import main as cli

        log = Path(__file__).resolve().parents[1] / "data" / "sample_transactions.csv"
        out = io.StringIO()
        with contextlib.redirect_stderr(out), contextlib.redirect_stdout(io.StringIO()):
            code = cli(["calibrate", "transactions", str(log), "-o", str(tmp / "s.yaml"),
                        "--observed-until", "2099-01-01"])
        if code == 0:
            return "silent"
        return "clean" if out.getvalue().count("\n") == 1 and "2099-01-01" in out.getvalue() else "unclear"

    @case("silent (issue 25)", "report -o FILE")
    def _report_into_file(tmp):
        from cxmodels.cli import main as cli

        (tmp / "out").write_text("x")
        out = io.StringIO()
        try:
            with contextlib.redirect_stderr(out), contextlib.redirect_stdout(io.StringIO()):
                code = cli(["report", "touchpoint", "-o", str(tmp / "out")])
        except Exception:  # noqa: BLE001 - what we count
            return "traceback"
        return "clean" if code == 2 and out.getvalue().count("\n") == 1 and str(tmp / "out") in out.getvalue() \
            else "unclear"


_register_silent_cases()


def _register_render_cases() -> None:
    for name, (model, overrides) in RENDER_CASES.items():
        def run(tmp, model=model, overrides=overrides):
            kind, value = attempt(_render(tmp, model, overrides))
            if kind == "crash":
                return "traceback"
            if kind == "ok":
                return "clean"
            # A refusal naming the parameter is clean; a notebook crash is not.
            return "clean" if any(name in str(value) for name in overrides) and \
                "failed in the cell" not in str(value) else "unclear"
        case("rendered report", name)(run)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render", action="store_true", help="also the cases that execute notebooks")
    parser.add_argument("--verbose", action="store_true", help="one line per case")
    parser.add_argument("--memory-limit-gb", type=float, default=2.0,
                        help="address-space limit, so a YAML bomb on an old checkout ends in a "
                             "MemoryError instead of taking the machine (default 2)")
    args = parser.parse_args()
    if args.memory_limit_gb > 0:
        import resource

        limit = int(args.memory_limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if args.render:
        _register_render_cases()
    import cxmodels

    print(f"cxmodels {cxmodels.__version__} from {Path(cxmodels.__file__).parent}")
    totals: dict[str, Counter] = {}
    for family, name, function in CASES:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            verdict = function(Path(folder))
            seconds = time.perf_counter() - started
        totals.setdefault(family, Counter())[verdict] += 1
        if args.verbose or verdict != "clean":
            print(f"  {verdict:<9} {family}: {name} ({seconds:.1f} s)")
    print(f"\n{'family':<18}{'tried':>6}{'clean':>7}{'silent':>7}{'unclear':>8}{'traceback':>10}")
    grand = Counter()
    for family, counts in totals.items():
        grand.update(counts)
        print(f"{family:<18}{sum(counts.values()):>6}{counts['clean']:>7}{counts['silent']:>7}"
              f"{counts['unclear']:>8}{counts['traceback']:>10}")
    print(f"{'all':<18}{sum(grand.values()):>6}{grand['clean']:>7}{grand['silent']:>7}"
          f"{grand['unclear']:>8}{grand['traceback']:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
