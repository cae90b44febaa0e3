"""The batch under attack: bad files, hostile titles, broken output folders, a killed parent.

Issue 15, items 5, 7, 8, 10, 11 and 12 (the Dask loss). Every fault here is
real: a full disk is /dev/full, a read-only file system is /sys, the parent
is killed with SIGKILL.
"""

import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from cxmodels.cli import main
from cxmodels.reporting.batch import IndexWriteError, Outcome, run_batch, write_index
from cxmodels.reporting.batch.runner import _run_on_dask

GOOD = "title: {title}\nmodel: touchpoint\nparameters:\n  buyers_per_trip: {buyers}\n"
BOMB = "title: Bomb\nmodel: touchpoint\n" + 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")"


def record(folder: Path, stem: str, title: str, revenue: float = 1.0) -> None:
    """A report's record and page, as an earlier run leaves them."""
    data = {"title": title, "model": "touchpoint", "scenario": f"{stem}.yaml",
            "results": {"revenue_per_year": revenue}}
    (folder / f"{stem}.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / f"{stem}.html").write_text("<html></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One good scenario with a formula for a title, beside files that once killed the batch."""
    folder = tmp_path_factory.mktemp("scenarios")
    (folder / "good.yaml").write_text(GOOD.format(title=f"'{FORMULA}'", buyers=2), encoding="utf-8")
    (folder / "bomb.yaml").write_text(BOMB, encoding="utf-8")
    (folder / "year.yaml").write_text("title: Year\nmodel: touchpoint\n2024: 3\n", encoding="utf-8")
    (folder / "on.yaml").write_text("title: On\nmodel: touchpoint\nparameters:\n  null: 3\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    started = time.perf_counter()
    outcomes = run_batch(sorted(folder.iterdir()), out, jobs=1)
    return folder, out, outcomes, time.perf_counter() - started


def test_bad_yaml_files_fail_alone_and_the_index_is_written(batch):
    _, out, outcomes, seconds = batch
    status = {o.stem: o.status for o in outcomes}
    assert status == {"bomb": "failed", "good": "done", "on": "failed", "year": "failed"}
    for outcome in outcomes:
        if outcome.status == "failed":
            assert "\n" not in outcome.message and outcome.file in outcome.message
    assert (out / "index.html").is_file() and (out / "good.html").is_file()
    assert seconds < 120  # the bomb once took 90 s and 3.4 GB before failing


def test_a_formula_title_is_text_in_the_summary(batch):
    _, out, _, _ = batch
    rows = {Path(r["scenario"]).name: r for r in csv.DictReader(open(out / "summary.csv", encoding="utf-8"))}
    assert rows["good.yaml"]["title"] == "'" + FORMULA


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_every_formula_start_is_neutralised(tmp_path, text):
    record(tmp_path, "x", text)
    write_index([Outcome("x.yaml", "x", "done")], tmp_path)
    (row,) = csv.DictReader(open(tmp_path / "summary.csv", encoding="utf-8", newline=""))
    assert row["title"] == "'" + text
    assert float(row["revenue_per_year"]) == 1.0  # numbers stay numbers


def test_rerunning_one_scenario_keeps_every_record_in_the_index(tmp_path):
    for stem in ("alpha", "beta"):
        record(tmp_path, stem, stem.title())
    (tmp_path / "notes.json").write_text("[1, 2]", encoding="utf-8")  # not a record: ignored
    record(tmp_path, "gamma", "Gamma")
    write_index([Outcome("gamma.yaml", "gamma", "done")], tmp_path)
    rows = list(csv.DictReader(open(tmp_path / "summary.csv", encoding="utf-8")))
    assert [r["title"] for r in rows] == ["Gamma", "Alpha", "Beta"]
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(f"href='{s}.html'" in index for s in ("alpha", "beta", "gamma"))
    assert "3 of 3 scenarios rendered" in index


def test_a_full_disk_at_the_index_is_one_line_and_leaves_no_partial(tmp_path):
    record(tmp_path, "x", "X")
    (tmp_path / ".summary.csv.partial").symlink_to("/dev/full")  # writes fail: ENOSPC
    with pytest.raises(IndexWriteError) as caught:
        write_index([Outcome("x.yaml", "x", "done")], tmp_path)
    (line,) = caught.value.problems
    assert "No space left on device" in line and str(tmp_path) in line
    assert not [p for p in os.listdir(tmp_path) if "partial" in p]


def test_a_full_disk_at_a_report_fails_that_scenario_and_keeps_the_outcomes(tmp_path, capsys):
    scenarios = tmp_path / "in"
    scenarios.mkdir()
    (scenarios / "bus.yaml").write_text(GOOD.format(title="Bus", buyers=2), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".bus.partial.html").symlink_to("/dev/full")
    (out / ".summary.csv.partial").symlink_to("/dev/full")
    assert main(["batch", str(scenarios), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bus.yaml failed" in err and "No space left on device" in err
    assert f"cannot write index.html and summary.csv into {out}" in err
    assert "Traceback" not in err
    assert not [p for p in os.listdir(out) if "partial" in p]


@pytest.mark.parametrize("fault", ["file in the way", "name too long", "read-only file system"])
def test_an_unusable_output_folder_is_one_line(tmp_path, capsys, fault):
    (tmp_path / "bus.yaml").write_text(GOOD.format(title="Bus", buyers=2), encoding="utf-8")
    out = {"file in the way": tmp_path / "bus.yaml",
           "name too long": tmp_path / ("x" * 300),
           "read-only file system": Path("/sys/cxmodels-reports")}[fault]
    assert main(["batch", str(tmp_path / "bus.yaml"), "-o", str(out)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cxmodels: error: output folder {out}")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_one_line(tmp_path, capsys):
    (tmp_path / "bus.yaml").write_text(GOOD.format(title="Bus", buyers=2), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    assert main(["batch", str(tmp_path / "bus.yaml"), "-o", str(out)]) == 2
    assert "is not writable" in capsys.readouterr().err


WORKER_BATCH = """
import sys
from pathlib import Path
from cxmodels.reporting.batch import run_batch
run_batch(sorted(Path(sys.argv[1]).glob("*.yaml")), sys.argv[2], jobs=2)
"""


def test_killing_the_parent_ends_its_workers(tmp_path):
    """Issue 15, item 10: workers used to go on rendering for minutes."""
    for i in range(4):
        (tmp_path / f"s{i}.yaml").write_text(GOOD.format(title=f"S{i}", buyers=i + 1), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-c", WORKER_BATCH, str(tmp_path), str(tmp_path / "out")])
    try:
        deadline = time.monotonic() + 60
        workers = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = [p for p in psutil.Process(parent.pid).children()
                       if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2, "the batch did not start its two workers"
        kernels = []
        while time.monotonic() < deadline and len(kernels) < 2:  # each renders in a kernel
            time.sleep(0.2)
            kernels = [c for w in workers for c in w.children(recursive=True)
                       if "ipykernel" in " ".join(c.cmdline())]
        assert len(kernels) == 2, "the workers did not start their kernels"
        family = workers + kernels
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        gone, alive = psutil.wait_procs(family, timeout=15)
        assert not alive, f"still running after the parent was killed: {alive}"
    finally:
        if parent.poll() is None:
            parent.kill()


#: Set when the blocking scenario runs; set by the test to let it end.
_BLOCKED = (threading.Event(), threading.Event())


def _blocking_scenario(file, stem, *rest):
    """A scenario that runs until the test lets it go (module-level: Dask pickles it by name)."""
    running, release = _BLOCKED
    running.set()
    release.wait(120)
    return Outcome(file, stem, "done")


def test_a_lost_dask_cluster_fails_the_scenarios_not_the_batch(tmp_path, monkeypatch):
    """The cluster closes while a scenario is running: that scenario fails, the batch goes on.

    The scenario blocks until the test lets it go, so the cluster is closed
    while it is surely running (a sleep used to race the scenario's run).
    """
    distributed = pytest.importorskip("distributed")
    import dask

    from cxmodels.reporting.batch import runner

    running, release = _BLOCKED
    running.clear()
    release.clear()
    monkeypatch.setattr(runner, "run_scenario", _blocking_scenario)
    outcomes = []
    # Closing a cluster whose scheduler is gone waits for the worker to give up
    # reconnecting: 30 s by default, 3 s here (the scenario's outcome comes in well under 1 s).
    with dask.config.set({"distributed.comm.timeouts.connect": "3s"}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                     dashboard_address=None) as cluster:

        def close_when_running():  # the scheduler goes; the worker stays blocked until released
            if running.wait(120):
                cluster.sync(cluster.scheduler.close)

        closer = threading.Thread(target=close_when_running, daemon=True)
        closer.start()
        task = (str(tmp_path / "slow.yaml"), "slow", str(tmp_path), False)
        try:
            _run_on_dask([task], cluster.scheduler_address, outcomes.append)
        except Exception as error:  # noqa: BLE001
            pytest.fail(f"the batch raised {type(error).__name__}: {error}")
        finally:
            release.set()
            closer.join(60)
    assert running.is_set(), "the scenario never started on the cluster"
    assert [o.status for o in outcomes] == ["failed"]
    assert "Dask cluster lost this scenario" in outcomes[0].message
    assert "\n" not in outcomes[0].message


# Property (issue 15): whatever bad files sit beside a good one, the good
# report is kept, the index is written and every failure line names its file.
# The good report is rendered once; each example finds it up to date.
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_keys = st.sampled_from(["title", "model", "seed", "notes", "parameters", "2024", "null", "on",
                         "buyers_per_trip", "x", "- a", "? k", "&a k", "*a"])
_values = st.one_of(st.integers(-10**20, 10**20), st.floats(), st.booleans(), st.none(),
                    st.text(max_size=10),
                    st.sampled_from(["1:30", "0x10", "1e-300", "&a [1, 2]", "*a", "!!int 3",
                                     "[[[[", "{a: 1}", "touchpoint", "'quoted'"]))
_lines = st.lists(st.tuples(st.integers(0, 2), _keys, _values), max_size=12)


@pytest.fixture(scope="module")
def rendered_good(tmp_path_factory):
    folder = tmp_path_factory.mktemp("good")
    good = folder / "good.yaml"
    good.write_text(GOOD.format(title="Good", buyers=3), encoding="utf-8")
    out = folder / "out"
    (outcome,) = run_batch([good], out)
    assert outcome.status == "done"
    return good, out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(files=st.lists(st.one_of(_lines, st.binary(max_size=200)), min_size=1, max_size=3))
def test_bad_files_never_cost_the_good_report_or_the_index(tmp_path_factory, rendered_good, files):
    import shutil

    good, rendered = rendered_good
    folder = tmp_path_factory.mktemp("mixed")
    out = folder / "out"
    shutil.copytree(rendered, out)
    paths = [shutil.copy(good, folder / "good.yaml")]
    for number, content in enumerate(files):
        path = folder / f"bad{number}.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            text = "model: nosuchmodel\n" + "".join(
                f"{'  ' * indent}{key}: {value}\n" for indent, key, value in content)
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    outcomes = run_batch([Path(p) for p in paths], out, jobs=1)
    assert outcomes[0].status == "skipped"  # up to date: rendered once, kept
    for outcome in outcomes[1:]:
        assert outcome.status == "failed"
        for line in outcome.message.splitlines():
            assert line.startswith(outcome.file), line
    assert "href='good.html'" in (out / "index.html").read_text(encoding="utf-8")
