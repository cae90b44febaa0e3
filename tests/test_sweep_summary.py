"""A sweep's summary as a workbook (summary.xlsx) and a PDF (summary.pdf).

The workbook's numbers are checked against results.csv computed here with
numpy and pandas (percentiles, the extremes, Spearman correlations); the
PDF's text against the same numbers, as poppler's pdftotext reads it.
"""

import hashlib
import subprocess

import numpy as np
import openpyxl
import pandas as pd
import pytest
from system_tools import require
from test_sweep import touchpoint_table

from cxmodels.cli import main
from cxmodels.registry import get_model
from cxmodels.reporting.outputs import pdf
from cxmodels.reporting.sweep import run_sweep, write_summary_workbook
from cxmodels.reporting.sweep.workbook import output_label
from cxmodels.reporting.words.language import translate, words_for

PARAMETERS = ["buyers_per_trip", "spend_per_buyer", "trips_per_day", "gross_margin", "horizon_months"]
KEY_OUTPUTS = ["revenue_per_year", "net_benefit", "npv", "payback_month"]


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """200 touchpoint stores swept once; the summary workbook in English and in Finnish."""
    folder = tmp_path_factory.mktemp("sweep_summary")
    touchpoint_table(200).to_csv(folder / "stores.csv", index=False)
    run = run_sweep("touchpoint", folder / "stores.csv", folder / "out")
    books = {}
    for language in ("en", "fi"):
        (folder / language).mkdir()
        books[language] = write_summary_workbook(run, folder / language, language)
    return folder, pd.read_csv(folder / "out" / "results.csv"), books


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def table_below(rows: list[list], first_header: str) -> tuple[list, list[list]]:
    """The header row starting with ``first_header`` and the rows under it (to the first blank)."""
    start = next(i for i, row in enumerate(rows) if row[0] == first_header)
    body = []
    for row in rows[start + 1:]:
        if row[0] is None:
            break
        body.append(row)
    return rows[start], body


@pytest.mark.parametrize("language", ["en", "fi"])
def test_the_summary_workbook_holds_the_distribution_extremes_spread_and_sources(swept, language):
    folder, results, books = swept

    def t(text: str) -> str:
        return translate(text, language)

    book = openpyxl.load_workbook(books[language])
    assert book.sheetnames == [t(name) for name in ("Summary", "Highest rows", "Lowest rows",
                                                   "What explains the spread",
                                                   "Where the values came from")]
    summary = rows_of(book[t("Summary")])
    cells = [str(cell) for row in summary for cell in row if cell is not None]
    checksum = hashlib.sha256((folder / "stores.csv").read_bytes()).hexdigest()[:12]
    assert any(checksum in cell and "stores.csv" in cell for cell in cells)
    assert any("results.csv" in cell and "results.parquet" in cell for cell in cells)  # not every row
    header, body = table_below(summary, t("Result"))
    assert header[2:] == [t(name) for name in (
        "Scenarios with a value", "Mean", "10th percentile (P10)", "Median (P50)",
        "90th percentile (P90)", "Minimum", "Maximum")]
    assert len(body) == len(KEY_OUTPUTS)
    for row, output in zip(body, KEY_OUTPUTS):
        values = results[output].dropna().to_numpy()
        expected = [len(values), values.mean(), *np.percentile(values, [10, 50, 90]),
                    values.min(), values.max()]
        assert row[2:] == pytest.approx(expected, rel=1e-12), output

    ranked = results.sort_values("revenue_per_year", ascending=False, kind="stable")
    for sheet, expected in ((t("Highest rows"), ranked.head(10)),
                            (t("Lowest rows"), results.sort_values("revenue_per_year", kind="stable").head(10))):
        header, body = table_below(rows_of(book[sheet]), t("Row in the table"))
        assert header[1] == "store"
        assert [row[0] for row in body] == expected["table_row"].tolist()
        assert [row[1] for row in body] == expected["store"].tolist()
        assert [v for row in body for v in row[2:7]] == pytest.approx(expected[PARAMETERS].to_numpy().ravel())

    _, body = table_below(rows_of(book[t("What explains the spread")]), t("Result"))
    npv_label = output_label(next(o for o in get_model("touchpoint").outputs if o.name == "npv"),
                             words_for(language))
    npv = [row for row in body if row[0] == npv_label]
    spearman = results[[*PARAMETERS, "npv"]].corr(method="spearman")["npv"][PARAMETERS]
    shares = spearman**2 / (spearman**2).sum()
    order = shares.sort_values(ascending=False).index
    assert [row[2] for row in npv] == pytest.approx(spearman[order].tolist(), abs=1e-12)
    assert [row[3] for row in npv] == pytest.approx(shares[order].tolist(), abs=1e-12)

    sources = {row[0]: row for row in rows_of(book[t("Where the values came from")])[1:]}
    assert sources["buyers_per_trip"][3] == t("table")
    assert t("analyst's estimate") in sources["buyers_per_trip"][4] and "stores.csv" in sources["buyers_per_trip"][4]
    assert sources["setup_cost"][1] == 2000 and sources["setup_cost"][4] == t("package default, not set")
    assert sources["passengers_per_trip"][4].startswith(t("published: [{key}] {name}").split("[")[0] + "[bus]")
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9


def test_pdf_is_one_or_two_pages_with_the_headline_numbers(tmp_path, capsys):
    require("chromium", "pdftotext", "pdfinfo")
    touchpoint_table(120).to_csv(tmp_path / "stores.csv", index=False)
    assert main(["sweep", "touchpoint", "--table", str(tmp_path / "stores.csv"), "-o",
                 str(tmp_path / "out"), "--pdf"]) == 0
    assert "summary.pdf" in capsys.readouterr().out
    path = tmp_path / "out" / "summary.pdf"
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert 1 <= int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:"))) <= 2
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    results = pd.read_csv(tmp_path / "out" / "results.csv")
    sales = results["revenue_per_year"].to_numpy()
    assert "120 scenarios" in text
    for value in (np.median(sales), sales.mean(), np.percentile(sales, 90), sales.max()):
        assert f"{value:,.0f} EUR per year" in text
    top = results.loc[results["revenue_per_year"].idxmax()]
    assert top["store"] in text and f"{top['revenue_per_year']:,.0f}" in text


def test_without_chromium_the_pdf_is_one_line_and_the_rest_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    touchpoint_table(20).to_csv(tmp_path / "stores.csv", index=False)
    assert main(["sweep", "touchpoint", "--table", str(tmp_path / "stores.csv"), "-o",
                 str(tmp_path / "out"), "--pdf", "--no-workbook"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("cxmodels: error: summary.pdf: --pdf needs headless Chromium")
    assert "apt-get install chromium" in err and "the other files above are written" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["results.csv", "results.parquet",
                                                                  "summary.html"]
