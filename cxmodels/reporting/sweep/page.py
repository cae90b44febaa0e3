"""The summary page of a sweep (``summary.html``), in English or Finnish.

One self-contained HTML file: where the values came from, each key
output's distribution (a table and a histogram of the ranked output), the
top and bottom rows, and which parameters explain the spread
(:mod:`cxmodels.core.spread`).
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import numpy as np

from ... import __version__
from ...core.formatting import fixed, format_number, money_compact, percent, quantity_parts
from ...core.words import Words
from ..words.language import words_for
from ..outputs.workbook.generic import PHRASE_LABELS
from .numbers import distributions, parameter_sources, spreads
from .run import SweepRun

SUMMARY = "summary.html"
#: Parameters shown for each output in "What explains the spread", largest share first.
DRIVERS = 5


def write_summary(run: SweepRun, out_dir: str | Path, language: str = "en") -> Path:
    """Write ``summary.html`` for a finished sweep; its path."""
    words = words_for(language)
    t = words.t
    model, kept = run.model, run.kept
    title = t("{model}: {rows} scenarios from one table").format(
        model=t(model.title), rows=format_number(run.rows, words.locale))
    files = t("Table: {file} (sha256 {checksum}). Results: results.csv and results.parquet, "
              "one row a scenario.")
    parts = [_tag("h1", title),
             _tag("p", files.format(file=run.table.path.name, checksum=run.table_sha256[:12]))]
    if run.row_by_row:
        note = t("Computed one row at a time (the model takes one value here): {reason}")
        parts.append(_tag("p", note.format(reason=run.row_by_row)))
    parts.append(_sources(run, words))
    parts.append(_tag("h2", t("Distribution of the results")))
    if kept.sampled:
        note = t("Percentiles, chart and rank correlations from a random sample of {sample} rows; "
                 "minimum, mean and maximum from every row.")
        parts.append(_tag("p", note.format(sample=format_number(len(kept.sample), words.locale))))
    parts.append(_distribution_table(run, words))
    parts.append(_histogram(run, words))
    for heading, frame in ((t("Highest {output}"), kept.top), (t("Lowest {output}"), kept.bottom)):
        parts.append(_tag("h2", heading.format(output=_title(model.output(kept.rank_by), words))))
        parts.append(_rows_table(run, frame, words))
    parts.append(_tag("h2", t("What explains the spread")))
    parts.append(_tag("p", t("Share of the spread: the squared rank correlation (Spearman) of each "
                             "parameter with the result, over the sum of the squares. R² of the "
                             "ranks: how much of the ranking a linear model of the parameters' "
                             "ranks explains.")))
    parts.append(_drivers(run, words))
    made = t("cxmodels {version}, generated {date}").format(version=__version__, date=run.generated)
    parts.append(f"<p class='small'>{_e(made)}</p>")
    page = (f"<!DOCTYPE html><html lang='{words.language}'><head><meta charset='utf-8'>"
            f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>")
    path = Path(out_dir) / SUMMARY
    path.write_text(page, encoding="utf-8")
    return path


def _sources(run: SweepRun, words: Words) -> str:
    t = words.t
    rows = [(words.label(item.name), item.source if item.value is None else
             f"{_value(item.unit, item.value, words)}; {item.source}")
            for item in parameter_sources(run, words)]
    body = "".join(f"<tr><td>{_e(a)}</td><td>{_e(b)}</td></tr>" for a, b in rows)
    head = _tag("th", t("Parameter")) + _tag("th", t("Source"))
    return (_tag("h2", t("Where the values came from"))
            + f"<div class='sources'><table><tr>{head}</tr>{body}</table></div>")


def _distribution_table(run: SweepRun, words: Words) -> str:
    t = words.t
    head = "".join(_tag("th", x) for x in (t("Result"), t("Minimum"), t("P10"), t("Median"),
                                            t("Mean"), t("P90"), t("Maximum")))
    body = []
    for found in distributions(run):
        output = run.model.output(found.output)
        if not found.count:
            cells = ["-"] * 6
        else:
            cells = [_value(output.unit, v, words) for v in
                     (found.minimum, found.p10, found.median, found.mean, found.p90, found.maximum)]
        body.append(f"<tr><td>{_e(_title(output, words))}</td>"
                    + "".join(f"<td class='n'>{_e(c)}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _histogram(run: SweepRun, words: Words) -> str:
    from matplotlib.figure import Figure  # without pyplot: no backend, no global state
    from matplotlib.ticker import FuncFormatter

    output = run.model.output(run.kept.rank_by)
    values = run.kept.sample[output.name].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return ""
    figure = Figure(figsize=(8, 3.2))
    ax = figure.subplots()
    ax.hist(values, bins=min(50, max(5, int(np.sqrt(values.size)))), color="#1b6ca8")
    ax.set_title(words.t("{output} across the scenarios").format(output=_title(output, words)),
                 loc="left", fontsize=12)
    ax.set_xlabel(words.t(output.unit) if output.unit != "share" else "%")
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_text(output.unit, words)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: fixed(value, 0, words.locale)))
    ax.set_ylabel(words.t("Scenarios"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = _e(words.t("Histogram of {output}").format(output=_title(output, words)))
    return f"<img alt='{alt}' src='data:image/png;base64,{data}'>"


def _tick_text(unit: str, words: Words):
    """The histogram's x tick labels as the report writes the unit's numbers: money
    compact (``468k``, ``2,4 milj.``), shares in percent, other numbers grouped."""
    if unit == "share":
        return lambda value, _: percent(value, locale=words.locale)
    if "EUR" in unit:
        return lambda value, _: money_compact(value, "", locale=words.locale).strip()
    return lambda value, _: fixed(value, 0, words.locale) if abs(value) >= 100 else \
        format_number(value, words.locale)


def _rows_table(run: SweepRun, frame, words: Words) -> str:
    """The rows with their ids, parameters and key results; each unit once, in its column's
    header, so the table fits a printed page's width."""
    t = words.t
    outputs = run.model.summary_outputs()
    units = [run.model.param(c).unit for c in run.kept.parameters] + [o.unit for o in outputs]
    names = [words.label(c) for c in run.kept.parameters] + [_title(o, words) for o in outputs]
    head = "".join(_tag("th", c) for c in (t("Row"), *run.kept.ids))
    head += "".join(f"<th>{_e(name)}{_unit_line(unit, words)}</th>" for name, unit in zip(names, units))
    body = []
    for _, row in frame.iterrows():
        cells = [f"<td>{_e(row['table_row'])}</td>", *(f"<td>{_e(row[c])}</td>" for c in run.kept.ids)]
        values = [row[c] for c in (*run.kept.parameters, *(o.name for o in outputs))]
        cells += [f"<td class='n'>{_e(_number(unit, value, words))}</td>"
                  for unit, value in zip(units, values)]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _unit_line(unit: str, words: Words) -> str:
    """A column's unit under its name (``<br>(EUR per year)``); none for shares (``41.7 %``)."""
    _, shown = quantity_parts(1.0, unit, words.locale)
    shown = "month" if unit == "month" else shown
    return f"<br><span class='small'>({_e(words.t(shown))})</span>" if shown else ""


def _number(unit: str, value: float, words: Words) -> str:
    """A value without the unit its column's header names (``2,267,533``, ``41.7 %``, ``19``)."""
    number, _ = quantity_parts(None if not np.isfinite(value) else float(value), unit, words.locale)
    return number.removeprefix("month ")


def _drivers(run: SweepRun, words: Words) -> str:
    t = words.t
    head = "<tr>" + "".join(_tag("th", x) for x in (t("Result"), t("Parameter"),
                                                     t("Rank correlation"), t("Share of the spread"))) + "</tr>"
    steady = t("does not vary, or no parameter varies")
    fit = t("R² of the ranks {r2}")
    body = []
    for spread in spreads(run):
        output = run.model.output(spread.output)
        if not spread.drivers:
            body.append(f"<tr><td>{_e(_title(output, words))}</td><td colspan='3'>"
                        f"{_e(steady)}</td></tr>")
            continue
        for i, driver in enumerate(spread.drivers[:DRIVERS]):
            label = (_title(output, words) + " (" + fit.format(
                r2=format_number(round(spread.rank_r_squared, 2), words.locale)) + ")") if i == 0 else ""
            body.append(f"<tr><td>{_e(label)}</td><td>{_e(words.label(driver.name))}</td>"
                        f"<td class='n'>{_e(format_number(round(driver.rank_correlation, 2), words.locale))}</td>"
                        f"<td class='n'>{_e(percent(driver.share, 0, words.locale))}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _title(output, words: Words) -> str:
    """An output's name as a full phrase ("Payback month", not "Pays back in month ..."),
    as the workbooks name it."""
    return words.t(PHRASE_LABELS.get(output.title, output.title)).replace("{value}", "\u2026")


def _value(unit: str, value: float, words: Words) -> str:
    """A value with its unit in the page's language (``"7 125 € vuodessa"``)."""
    number, shown_unit = quantity_parts(None if not np.isfinite(value) else float(value), unit,
                                        words.locale)
    if number.startswith("month "):  # quantity_parts' "month 19" for a month number
        return words.t("month {value}").format(value=number.removeprefix("month "))
    return f"{number} {words.t(shown_unit)}".strip() if shown_unit else number


def _tag(name: str, text: str) -> str:
    return f"<{name}>{_e(text)}</{name}>"


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


_STYLE = ("body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          "td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left}"
          "td.n{text-align:right}.small{color:#777;font-size:.85em}"
          # Printed (--pdf): A4 landscape, so the rows' tables (ids, every parameter, the
          # key results) fit the page's width; no table or chart cut across a page break.
          "@page{size:A4 landscape;margin:10mm}"
          "@media print{body{margin:0;max-width:none;font-size:7pt}"
          "h1{font-size:14pt;margin:0 0 .3em}img{height:45mm;width:auto}"
          "tr,img{break-inside:avoid}h2{break-after:avoid;margin:.8em 0 .3em}"
          "img{max-width:100%}td,th{padding:.15em .4em}.sources{columns:2;column-gap:2em}}")
