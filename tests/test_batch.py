"""Batch runs: failures stay alone, finished work is kept, the index tells all."""

import csv
import html
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cxmodels.reporting.batch import Outcome, plan, run_batch, write_index
from cxmodels.cli import main

SCENARIO = """title: {title}
model: touchpoint
parameters:
  buyers_per_trip: {buyers}
"""


def scenario(folder: Path, name: str, title: str, buyers) -> Path:
    path = folder / name
    path.write_text(SCENARIO.format(title=title, buyers=buyers), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Two good scenarios and one with a typo, two at a time."""
    folder = tmp_path_factory.mktemp("scenarios")
    scenario(folder, "low.yaml", "Low uptake <script>alert(1)</script>", 2)
    scenario(folder, "high.yaml", "High uptake", 8)
    (folder / "typo.yaml").write_text(
        "title: Typo\nmodel: touchpoint\nparameters:\n  buyers_per_trp: 3\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    outcomes = run_batch(sorted(folder.iterdir()), out, jobs=2)
    return folder, out, outcomes


def test_a_typo_fails_alone_with_did_you_mean(batch):
    _, out, outcomes = batch
    status = {o.stem: o.status for o in outcomes}
    assert status == {"high": "done", "low": "done", "typo": "failed"}
    typo = next(o for o in outcomes if o.stem == "typo")
    assert "line 4: unknown parameter `buyers_per_trp`; did you mean `buyers_per_trip`?" in typo.message
    assert (out / "high.html").is_file() and (out / "low.html").is_file()
    assert not (out / "typo.html").exists()


def test_index_links_every_report_and_escapes_titles(batch):
    _, out, _ = batch
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "href='low.html'" in index and "href='high.html'" in index
    assert "<script>alert(1)</script>" not in index
    assert "&lt;script&gt;" in index
    assert "did you mean `buyers_per_trip`?" in index
    assert "2 of 3 scenarios rendered" in index


def test_report_shows_scenario_escaped_and_provenance_footer(batch):
    _, out, _ = batch
    page = (out / "low.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "Scenario: <strong>Low uptake" in page
    assert "generated 20" in page and "cxmodels 0." in page
    assert "buyers_per_trip = 2 people per trip (analyst's estimate)" in html.unescape(
        page.replace("\\_", "_"))
    assert "@media print" in page


def test_summary_csv_has_the_headline_numbers(batch):
    _, out, _ = batch
    rows = {r["scenario"].split("/")[-1]: r for r in csv.DictReader(open(out / "summary.csv"))}
    assert float(rows["high.yaml"]["revenue_per_year"]) == 8 * 20 * 13 * 360
    assert rows["typo.yaml"]["status"] == "failed"



def test_summary_keeps_a_column_whose_values_are_all_empty(tmp_path):
    record = {"title": "Never pays", "model": "touchpoint",
              "results": {"revenue_per_year": 0.0, "payback_month": None}}
    (tmp_path / "never.json").write_text(json.dumps(record))
    write_index([Outcome("never.yaml", "never", "done")], tmp_path)
    (row,) = csv.DictReader(open(tmp_path / "summary.csv"))
    assert row["payback_month"] == "" and row["revenue_per_year"] == "0.0"


def test_up_to_date_reports_are_skipped_and_changes_rerun(batch):
    folder, out, _ = batch
    scenario(folder, "high.yaml", "High uptake", 9)  # changed
    again = {o.stem: o.status for o in run_batch(sorted(folder.iterdir()), out, jobs=1)}
    assert again == {"high": "done", "low": "skipped", "typo": "failed"}
    assert json.loads((out / "high.json").read_text())["parameters"]["buyers_per_trip"] == 9


def test_names_are_unique_and_safe():
    paths = [Path("a/Bus Story.yaml"), Path("b/bus-story.yml"), Path("c/index.yaml")]
    assert [stem for _, stem in plan(paths)] == ["bus-story", "bus-story-2", "index-2"]


def test_killed_batch_leaves_no_half_report_and_resumes(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for number in range(1, 4):
        scenario(folder, f"s{number}.yaml", f"Scenario {number}", number)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cxmodels", "batch", str(folder), "-o", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while not (out / "s1.json").exists() and time.time() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert (out / "s1.json").exists(), "first report never finished"
    for page in out.glob("s*.html"):  # a final file is always whole
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    for record in out.glob("s*.json"):
        json.loads(record.read_text(encoding="utf-8"))

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    status = {line.split()[1]: line.split()[0] for line in rerun.stdout.splitlines()
              if line.endswith(".yaml") or ".yaml (" in line}
    assert status[str(folder / "s1.yaml")] == "skipped"
    assert status[str(folder / "s3.yaml")] == "done"
    assert all((out / f"s{n}.html").is_file() for n in range(1, 4))


def test_cli_batch_exit_code_and_failure_list(tmp_path, capsys):
    scenario(tmp_path, "bad.yaml", "Bad", 99)
    assert main(["batch", str(tmp_path / "bad.yaml"), "-o", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert "0 rendered, 0 up to date, 1 failed" in captured.out
    assert "cannot exceed passengers_per_trip" in captured.err


def test_cli_batch_missing_folder(tmp_path, capsys):
    assert main(["batch", str(tmp_path / "nowhere")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_dask_executor_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "scenarios"
    folder.mkdir()
    scenario(folder, "d1.yaml", "Dask one", 1)
    scenario(folder, "d2.yaml", "Dask two", 2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        outcomes = run_batch(sorted(folder.iterdir()), tmp_path / "out", executor="dask",
                             scheduler=cluster.scheduler_address)
    assert [o.status for o in outcomes] == ["done", "done"]
    assert (tmp_path / "out" / "index.html").is_file()


def test_dask_without_scheduler_is_a_clear_error(capsys):
    assert main(["batch", "data/scenarios", "--executor", "dask"]) == 2
    assert "needs --scheduler" in capsys.readouterr().err


def test_each_report_has_its_workbook_linked_from_the_index(batch):
    _, out, _ = batch
    index = (out / "index.html").read_text(encoding="utf-8")
    for stem in ("low", "high"):
        assert (out / f"{stem}.xlsx").is_file()
        assert f"href='{stem}.xlsx'" in index
        assert f'href="{stem}.xlsx"' in (out / f"{stem}.html").read_text(encoding="utf-8")
    assert not (out / "typo.xlsx").exists() and not list(out.glob(".*partial*"))
