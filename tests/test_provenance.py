"""A report is up to date only while the code that made it is the same."""

import json
import os

from cxmodels.reporting.outputs import chosen
from cxmodels.reporting import provenance
from cxmodels.reporting.batch import run_batch


def write_package(folder, source="x = 1\n"):
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "model.py").write_text(source, encoding="utf-8")
    (folder / "sub" / "report.html.j2").write_text("<p>{{ x }}</p>\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not part of a report\n", encoding="utf-8")


def test_the_fingerprint_follows_contents_not_times(tmp_path):
    write_package(tmp_path)
    first = provenance.code_fingerprint(tmp_path)
    os.utime(tmp_path / "model.py", ns=(1, 1))  # touched, as a git checkout does
    assert provenance.code_fingerprint(tmp_path) == first
    (tmp_path / "model.py").write_text("x = 2\n", encoding="utf-8")  # same size, new arithmetic
    assert provenance.code_fingerprint(tmp_path) != first
    (tmp_path / "model.py").write_text("x = 1\n", encoding="utf-8")
    assert provenance.code_fingerprint(tmp_path) == first
    (tmp_path / "notes.txt").write_text("edited\n", encoding="utf-8")
    assert provenance.code_fingerprint(tmp_path) == first
    (tmp_path / "sub" / "report.html.j2").write_text("<b>{{ x }}</b>\n", encoding="utf-8")
    assert provenance.code_fingerprint(tmp_path) != first


def test_a_report_made_by_other_code_is_rendered_again(tmp_path, repo, monkeypatch):
    scenario = repo / "data" / "scenarios" / "bus-story.yaml"
    first = run_batch([scenario], tmp_path, formats=chosen(drop=["workbook"]))
    assert [o.status for o in first] == ["done"]
    assert [o.status for o in run_batch([scenario], tmp_path, formats=chosen(drop=["workbook"]))] == ["skipped"]
    monkeypatch.setattr("cxmodels.reporting.scenarios.scenario.code_fingerprint", lambda: "edited")
    assert [o.status for o in run_batch([scenario], tmp_path, formats=chosen(drop=["workbook"]))] == ["done"]


def test_a_scenario_edited_while_its_report_renders_is_rendered_again(tmp_path, repo):
    """Issue 25: the record took the edited file's fingerprint, so the report
    stayed stale for ever. The report is rendered from the file as loaded; an
    edit made meanwhile makes it out of date at the next batch."""
    from cxmodels.reporting.execute.run import render_report
    from cxmodels.reporting.scenarios.scenario import load_scenario

    path = tmp_path / "bus.yaml"
    path.write_text("title: Bus\nmodel: touchpoint\nparameters:\n  buyers_per_trip: 3\n")
    out = tmp_path / "out"
    scenario = load_scenario(path)  # the report starts from this ...
    path.write_text("title: Bus\nmodel: touchpoint\nparameters:\n  buyers_per_trip: 4\n")  # ... edited
    render_report(scenario.model, scenario.overrides, out, stem="bus", scenario=scenario,
                  log=lambda line: None, formats=chosen(drop=["workbook"]))
    assert json.loads((out / "bus.json").read_text())["parameters"]["buyers_per_trip"] == 3
    (again,) = run_batch([path], out, formats=chosen(drop=["workbook"]))
    assert again.status == "done"
    assert json.loads((out / "bus.json").read_text())["parameters"]["buyers_per_trip"] == 4
    assert run_batch([path], out, formats=chosen(drop=["workbook"]))[0].status == "skipped"
