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
from ...core.formatting import format_number, percent, quantity_parts
from ...core.model import Model
from ...core.sources import ANALYST, Provenance, provenance
from ...core.spread import explain_spread
from ...core.words import Words
from ..words.language import words_for
from ..words.sources import source_text
from .run import SweepRun

SUMMARY = "summary.html"


def write_summary(run: SweepRun, out_dir: str | Path, language: str = "en") -> Path:
    """Write ``summary.html`` for a finished sweep; its path."""
    words = words_for(language)
    t = words.t
    model, kept = run.model, run.kept
    title = t("{model}: {rows} scenarios from one table").format(
        model=t(model.title), rows=format_number(run.rows, words.locale))
    files = t("Table: {file}. Results: results.csv and results.parquet, one row a scenario.")
    parts = [_tag("h1", title), _tag("p", files.format(file=run.table.path.name))]
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
        parts.append(_tag("h2", heading.format(output=_title(_output(model, kept.rank_by), words))))
        parts.append(_rows_table(run, frame, words))
    parts.append(_tag("h2", t("What explains the spread")))
    parts.append(_tag("p", t("Share of the spread: the squared rank correlation (Spearman) of each "
                             "parameter with the result, over the sum of the squares. R² of the "
                             "ranks: how much of the ranking a linear model of the parameters' "
                             "ranks explains.")))
    parts.append(_drivers(run, words))
    parts.append(f"<p class='small'>cxmodels {__version__}</p>")
    page = (f"<!DOCTYPE html><html lang='{words.language}'><head><meta charset='utf-8'>"
            f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
            + "\n".join(parts) + "</body></html>")
    path = Path(out_dir) / SUMMARY
    path.write_text(page, encoding="utf-8")
    return path


def _sources(run: SweepRun, words: Words) -> str:
    t = words.t
    given = Provenance(ANALYST, detail=t("table {file}, one value a row").format(
        file=run.table.path.name))
    rows = [(words.label(name), source_text(given, words)) for name in run.table.parameters]
    for param in run.model.params:
        if param.name not in run.table.parameters:
            origin = provenance(param.source, param.default, param.default, typed=False)
            rows.append((words.label(param.name),
                         f"{_value(param.unit, param.default, words)}; {source_text(origin, words, short=True)}"))
    body = "".join(f"<tr><td>{_e(a)}</td><td>{_e(b)}</td></tr>" for a, b in rows)
    head = _tag("th", t("Parameter")) + _tag("th", t("Source"))
    return _tag("h2", t("Where the values came from")) + f"<table><tr>{head}</tr>{body}</table>"


def _distribution_table(run: SweepRun, words: Words) -> str:
    t = words.t
    kept = run.kept
    head = "".join(_tag("th", x) for x in (t("Result"), t("Minimum"), t("P10"), t("Median"),
                                            t("Mean"), t("P90"), t("Maximum")))
    body = []
    for output in run.model.summary_outputs():
        values = kept.sample[output.name].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        count, low, _, high = kept.stats[output.name]
        if not values.size:
            cells = ["-"] * 6
        else:
            p10, p50, p90 = np.percentile(values, [10, 50, 90])
            cells = [_value(output.unit, v, words) for v in (low, p10, p50, kept.mean(output.name), p90, high)]
        body.append(f"<tr><td>{_e(_title(output, words))}</td>"
                    + "".join(f"<td class='n'>{_e(c)}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _histogram(run: SweepRun, words: Words) -> str:
    from matplotlib.figure import Figure  # without pyplot: no backend, no global state

    output = _output(run.model, run.kept.rank_by)
    values = run.kept.sample[output.name].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if not values.size:
        return ""
    figure = Figure(figsize=(8, 3.2))
    ax = figure.subplots()
    ax.hist(values, bins=min(50, max(5, int(np.sqrt(values.size)))), color="#1b6ca8")
    ax.set_title(words.t("{output} across the scenarios").format(output=_title(output, words)),
                 loc="left", fontsize=12)
    ax.set_xlabel(words.t(output.unit) if output.unit != "share" else "0-1")
    ax.set_ylabel(words.t("Scenarios"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = _e(words.t("Histogram of {output}").format(output=_title(output, words)))
    return f"<img alt='{alt}' src='data:image/png;base64,{data}'>"


def _rows_table(run: SweepRun, frame, words: Words) -> str:
    t = words.t
    outputs = run.model.summary_outputs()
    columns = ["table_row", *run.kept.ids, *run.kept.parameters]
    row_word = t("Row")
    head = "".join(_tag("th", row_word if c == "table_row" else
                        words.label(c) if c in run.kept.parameters else c) for c in columns)
    head += "".join(_tag("th", _title(o, words)) for o in outputs)
    body = []
    for _, row in frame.iterrows():
        cells = [str(row["table_row"]), *(str(row[c]) for c in run.kept.ids)]
        cells += [_value(run.model.param(c).unit, row[c], words) for c in run.kept.parameters]
        cells += [_value(o.unit, row[o.name], words) for o in outputs]
        body.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _drivers(run: SweepRun, words: Words) -> str:
    t = words.t
    sample = run.kept.sample
    parameters = {name: sample[name].to_numpy(dtype=float) for name in run.kept.parameters}
    head = "<tr>" + "".join(_tag("th", x) for x in (t("Result"), t("Parameter"),
                                                     t("Rank correlation"), t("Share of the spread"))) + "</tr>"
    steady = t("does not vary, or no parameter varies")
    fit = t("R² of the ranks {r2}")
    body = []
    for output in run.model.summary_outputs():
        spread = explain_spread(output.name, sample[output.name].to_numpy(dtype=float), parameters)
        if not spread.drivers:
            body.append(f"<tr><td>{_e(_title(output, words))}</td><td colspan='3'>"
                        f"{_e(steady)}</td></tr>")
            continue
        for i, driver in enumerate(spread.drivers[:5]):
            label = (_title(output, words) + " (" + fit.format(
                r2=format_number(round(spread.rank_r_squared, 2), words.locale)) + ")") if i == 0 else ""
            body.append(f"<tr><td>{_e(label)}</td><td>{_e(words.label(driver.name))}</td>"
                        f"<td class='n'>{_e(format_number(round(driver.rank_correlation, 2), words.locale))}</td>"
                        f"<td class='n'>{_e(percent(driver.share, 0, words.locale))}</td></tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _title(output, words: Words) -> str:
    # A label that is a phrase around the number ("Pays back in month {value}")
    return words.t(output.title).replace("{value}", "\u2026")


def _output(model: Model, name: str):
    return next(o for o in model.outputs if o.name == name)


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
          "td.n{text-align:right}.small{color:#777;font-size:.85em}")
