"""Rendering reports: executed with papermill, HTML without code or widgets."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from cxmodels.reporting.execute import run as run_module
from cxmodels.cli import main
from cxmodels.core.errors import CxError
from cxmodels.models.touchpoint import MODEL


@pytest.fixture(scope="module")
def bus_report(tmp_path_factory) -> run_module.Report:
    out = tmp_path_factory.mktemp("reports")
    return run_module.render_report(MODEL, {}, out, log=lambda line: None)


def test_report_headline_says_468000(bus_report):
    html = bus_report.html.read_text(encoding="utf-8")
    assert "468,000 EUR of extra sales a year" in html


def test_report_has_charts_and_no_code_tracebacks_or_widgets(bus_report):
    html = bus_report.html.read_text(encoding="utf-8")
    assert len(re.findall(r"<img[^>]+src=\"data:image/png", html)) >= 4
    assert 'class="jp-CodeMirrorEditor' not in html  # no code cells shown
    for leftover in ["import numpy", "Traceback", "Loading widget", "widget-view+json", "VBox(", "&lt;Figure size",
                     "read_parameters", "nb.show_markdown", "Try it yourself"]:
        assert leftover not in html, leftover


def test_report_shows_assumptions_with_sources(bus_report):
    html = bus_report.html.read_text(encoding="utf-8")
    assert "[bus] Shuttle-bus touchpoint story" in html
    assert "Analyst&#x27;s estimate" in html or "Analyst's estimate" in html


def test_executed_notebook_has_no_errors_or_warnings(bus_report):
    notebook = nbformat.read(bus_report.notebook, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error"
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text


def test_results_json_beside_the_report(bus_report):
    record = json.loads(bus_report.results.read_text())
    assert record["results"]["revenue_per_year"] == 468000
    assert record["parameters"]["buyers_per_trip"] == 5
    assert record["cxmodels_version"]
    assert not list(bus_report.html.parent.glob(".*partial*"))


def test_overrides_reach_the_notebook_and_no_workbook_means_none(tmp_path):
    (tmp_path / "01_touchpoint_upsell.xlsx").write_bytes(b"from an earlier run")
    assert main(["report", "touchpoint", "--set", "buyers_per_trip=6", "--no-workbook",
                 "-o", str(tmp_path)]) == 0
    html = (tmp_path / "01_touchpoint_upsell.html").read_text(encoding="utf-8")
    assert "561,600 EUR of extra sales a year" in html
    assert not list(tmp_path.glob("*.xlsx")) and ".xlsx" not in html


def test_workbook_beside_the_report_linked_with_the_package_numbers(bus_report):
    import openpyxl

    assert bus_report.workbook == bus_report.html.with_suffix(".xlsx")
    html = bus_report.html.read_text(encoding="utf-8")
    assert 'href="01_touchpoint_upsell.xlsx"' in html
    book = openpyxl.load_workbook(bus_report.workbook, data_only=True)  # the cached results
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows()}
    assert summary["revenue_per_year"] == 468_000
    assert summary["npv"] == pytest.approx(json.loads(bus_report.results.read_text())["results"]["npv"],
                                           rel=1e-12)
    assert book["Summary"]["A1"].value == MODEL.title


def test_a_failing_notebook_names_the_cell_and_keeps_other_reports(tmp_path, monkeypatch, capsys):
    broken = tmp_path / "notebooks"
    broken.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("raise ValueError('touchpoints file is broken')")]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, broken / "99_broken.ipynb")
    good = Path(run_module.NOTEBOOKS / MODEL.notebook)
    (broken / MODEL.notebook).write_bytes(good.read_bytes())
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "touchpoints.csv").write_bytes(
        (run_module.NOTEBOOKS.parent / "data" / "touchpoints.csv").read_bytes())
    monkeypatch.setattr(run_module, "NOTEBOOKS", broken)
    broken_model = MODEL.__class__(**{**MODEL.__dict__, "name": "broken", "notebook": "99_broken.ipynb"})

    with pytest.raises(CxError, match=r"99_broken.ipynb failed in the cell starting `raise ValueError.*`: "
                       r"ValueError: touchpoints file is broken"):
        run_module.render_report(broken_model, {}, tmp_path / "out", log=lambda _: None)
    assert not (tmp_path / "out" / "99_broken.html").exists()

    from cxmodels import cli
    monkeypatch.setattr(cli, "MODELS", {"broken": broken_model, "touchpoint": MODEL})
    assert main(["report", "--all", "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "[broken] 99_broken.ipynb failed" in err and "1 of 2 reports failed: broken" in err
    assert (tmp_path / "out" / "01_touchpoint_upsell.html").exists()
