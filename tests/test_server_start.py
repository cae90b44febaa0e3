"""The report server that starts itself: the first `cxmodels report` starts it,
later ones use it, `serve --status` / `--stop`, the idle stop, the stop when the
checkout changes, and `CXMODELS_SERVER=off`.

Every server here runs in a runtime folder of the test's own and is stopped
by the test (the rest of the suite runs with the server off: conftest.py).
Waits poll a condition against a deadline; no sleep stands in for work.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cxmodels.reporting.execute import daemon, server

COMMAND = [sys.executable, "-m", "cxmodels"]

#: A server that runs a stand-in command; argv: idle seconds [, a package folder to watch].
STAND_IN = """
import sys, time
from pathlib import Path
from cxmodels.reporting.execute import daemon, server

if len(sys.argv) > 2:  # watch this folder's files instead of the checkout's
    server.PACKAGE = server.NOTEBOOKS = Path(sys.argv[2])
folder, print_ = server.runtime_folder(), server.fingerprint()
lock = daemon.hold_lock(folder, print_)
assert lock is not None, "the lock is taken"
def run(argv):
    if argv == ["block"]:
        print("started", flush=True)
        time.sleep(3600)  # until SIGTERM interrupts it
    return 0

try:
    server.serve(run, idle_seconds=float(sys.argv[1]), check_seconds=0.2,
                 log=lambda line: print(line, file=sys.__stdout__, flush=True))
finally:
    daemon.release_lock(folder, print_, lock)
"""


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} within {seconds} s"
        time.sleep(0.1)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) is gone too.
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    folder = tmp_path / "runtime"
    monkeypatch.setenv(server.RUNTIME, str(folder))
    monkeypatch.delenv(server.SWITCH, raising=False)
    monkeypatch.delenv(daemon.IDLE, raising=False)
    yield folder
    if folder.exists():  # whatever a test started, stopped here even when it failed
        for item in daemon.running(folder):
            if item.pid > 1 and alive(item.pid):
                os.kill(item.pid, signal.SIGTERM)
        wait_for(lambda: not daemon.running(folder), 60, "the servers stopped")


def stand_in(idle_seconds, watched=None):
    process = subprocess.Popen([sys.executable, "-c", STAND_IN, str(idle_seconds),
                                *([str(watched)] if watched else [])],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = process.stdout.readline()  # printed once the address is published
    assert first.startswith("serving reports"), first + process.stdout.read()
    return process


def cxmodels(*args, cwd, timeout=300, **env):
    return subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **env})


def test_the_first_report_starts_the_server_and_the_next_ones_use_it(runtime, tmp_path):
    first = cxmodels("report", "touchpoint", "-o", "first", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "first" / "01_touchpoint_upsell.html").exists()  # rendered here
    wait_for(lambda: server.address_file().exists(), 240, "the started server is ready")
    [started] = daemon.running(runtime)
    log = runtime / f"server-{started.print_}.log"
    assert started.ready and started.current and started.details["started_by"] == "cxmodels report"
    assert started.details["idle_seconds"] == 30 * 60

    second = cxmodels("report", "touchpoint", "--set", "spend_per_buyer=23", "-o", "second",
                      cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "report touchpoint --set spend_per_buyer=23 -o second" in log.read_text()
    record = json.loads((tmp_path / "second" / "01_touchpoint_upsell.json").read_text())
    assert record["parameters"]["spend_per_buyer"] == 23

    # A batch of one scenario goes to the same server, and its kernel outlives the batch.
    (tmp_path / "store.yaml").write_text("title: Store 7\nmodel: touchpoint\nparameters:\n"
                                         "  buyers_per_trip: 7\n", encoding="utf-8")
    batch = cxmodels("batch", "store.yaml", "-o", "batch", cwd=tmp_path)
    assert batch.returncode == 0, batch.stderr
    assert "1 rendered" in batch.stdout and (tmp_path / "batch" / "index.html").exists()
    assert "cxmodels batch store.yaml -o batch" in log.read_text()
    again = cxmodels("report", "touchpoint", "-o", "third", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert log.read_text().count("cxmodels report touchpoint") == 2
    assert [item.pid for item in daemon.running(runtime)] == [started.pid]  # no second server

    status = cxmodels("serve", "--status", cwd=tmp_path, timeout=60)
    assert status.returncode == 0, status.stderr
    assert f"process {started.pid}: ready, for this checkout as it is now" in status.stdout

    stopped = cxmodels("serve", "--stop", cwd=tmp_path, timeout=120)
    assert stopped.returncode == 0, stopped.stderr
    assert f"stopped 1 report server (process {started.pid})" in stopped.stdout
    wait_for(lambda: not alive(started.pid), 30, "the server process ended")
    assert not server.address_file().exists()
    none = cxmodels("serve", "--status", cwd=tmp_path, timeout=60)
    assert none.returncode == 1 and "no report server runs" in none.stdout


def test_the_switch_off_starts_no_server(runtime, tmp_path, monkeypatch):
    monkeypatch.setenv(server.SWITCH, "off")
    slip = cxmodels("report", "touchpoint", "--set", "spend_per_buyer=-5", cwd=tmp_path,
                    timeout=120)
    assert slip.returncode == 2 and "spend_per_buyer" in slip.stderr
    assert daemon.start_in_background() is None
    assert not list(runtime.glob("server-*"))  # no lock, no log, no address


def test_a_batch_uses_a_server_but_starts_none(runtime, tmp_path):
    slip = cxmodels("batch", "missing.yaml", cwd=tmp_path, timeout=120)
    assert slip.returncode == 2 and "missing.yaml" in slip.stderr
    assert not list(runtime.glob("server-*.lock"))  # a scheduled batch leaves nothing running


def test_a_server_being_started_is_not_started_twice(runtime):
    folder, print_ = server.runtime_folder(), server.fingerprint()
    lock = daemon.hold_lock(folder, print_)
    try:
        assert daemon.start_in_background() is None
        assert not (folder / f"server-{print_}.log").exists()
        [holder] = daemon.running(folder)
        assert (holder.pid, holder.ready) == (os.getpid(), False)
    finally:
        daemon.release_lock(folder, print_, lock)
    assert daemon.running(folder) == []


def test_what_a_killed_server_left_is_cleared(runtime):
    runtime.mkdir(mode=0o700)
    for suffix in (".lock", ".json", ".sock"):  # nobody holds this lock
        (runtime / f"server-0123456789abcdef{suffix}").write_text('{"pid": 1}')
    assert daemon.running(runtime) == []
    assert not list(runtime.iterdir())
    assert daemon.stop(say=lambda line: None) == 0


def test_an_idle_server_stops_by_itself(runtime):
    process = stand_in(idle_seconds=1)
    assert process.wait(timeout=30) == 0
    assert "idle for 1 s: stopping." in process.stdout.read()
    assert daemon.running(runtime) == [] and not list(runtime.glob("server-*.json"))
    process.stdout.close()


def test_a_server_stops_when_the_checkout_changes(runtime, tmp_path):
    package = tmp_path / "package"
    package.mkdir()
    (package / "model.py").write_text("x = 1\n", encoding="utf-8")
    process = stand_in(idle_seconds=600, watched=package)
    assert process.poll() is None
    (package / "model.py").write_text("x = 22\n", encoding="utf-8")  # a new size: a new print
    assert process.wait(timeout=30) == 0
    assert "the checkout changed since the server started: stopping." in process.stdout.read()
    assert daemon.running(runtime) == []
    process.stdout.close()


def test_stop_and_status_of_a_stand_in_server(runtime):
    process = stand_in(idle_seconds=600)
    said = []
    assert daemon.status(said.append) == 0
    assert f"process {process.pid}: ready" in said[0] and "stops after 10 idle min" in said[0]
    said.clear()
    assert daemon.stop(said.append) == 0
    assert process.wait(timeout=30) == 0
    assert said == [f"stopped 1 report server (process {process.pid})."]
    process.stdout.close()


@pytest.mark.parametrize("text", ["soon", "0", "-3", "inf"])
def test_a_bad_idle_setting_is_named_and_the_default_used(monkeypatch, text):
    monkeypatch.setenv(daemon.IDLE, text)
    said = []
    assert daemon.idle_minutes(said.append) == server.DEFAULT_IDLE_MINUTES
    assert said[0].startswith(f"cxmodels: warning: {daemon.IDLE}={text!r}")


def test_the_idle_setting_is_read(monkeypatch):
    monkeypatch.setenv(daemon.IDLE, "2.5")
    assert daemon.idle_minutes() == 2.5


def test_stop_while_the_server_warms_up_leaves_no_kernel_behind(runtime, tmp_path):
    import psutil

    with (tmp_path / "serve.log").open("w") as log:
        process = subprocess.Popen([*COMMAND, "serve", "--idle", "5"], stdout=log,
                                   stderr=subprocess.STDOUT)
    serving = psutil.Process(process.pid)
    # Its kernel has started: the warm-up report is under way (or done, on a fast machine).
    wait_for(lambda: serving.children(recursive=True), 120, "the server started its kernel")
    kernels = serving.children(recursive=True)
    assert daemon.stop(say=lambda line: None) == 0
    assert process.wait(timeout=60) in (0, 130), (tmp_path / "serve.log").read_text()
    psutil.wait_procs(kernels, timeout=30)
    assert not [kernel for kernel in kernels if kernel.is_running()
                and kernel.status() != psutil.STATUS_ZOMBIE]
    assert daemon.running(runtime) == []


def test_a_busy_server_lets_the_command_run_in_its_own_process(runtime):
    process = stand_in(idle_seconds=600)
    blocked = subprocess.Popen([sys.executable, "-c", "import sys\nfrom cxmodels.reporting."
                                "execute import server\nsys.exit(server.forward(['block']))"],
                               stdout=subprocess.PIPE, text=True)
    assert blocked.stdout.readline() == "started\n"  # the server runs it now
    started = time.monotonic()
    assert server.forward(["report", "touchpoint"]) is None  # busy: not queued behind it
    assert time.monotonic() - started < 5
    process.send_signal(signal.SIGTERM)
    assert blocked.wait(timeout=30) == 130 and process.wait(timeout=30) == 0
    assert "busy: `report touchpoint` runs in its own process." in process.stdout.read()
    blocked.stdout.close()
    process.stdout.close()


def test_stop_leaves_another_checkouts_server_alone(runtime, tmp_path):
    # Another worktree of the same user shares the runtime folder, not its server.
    other = tmp_path / "other-checkout" / "cxmodels"
    other.mkdir(parents=True)
    (other / "model.py").write_text("x = 1\n", encoding="utf-8")
    process = stand_in(idle_seconds=600, watched=other)
    said = []
    assert daemon.stop(said.append) == 0
    assert said == ["no report server runs for this checkout."]
    assert process.poll() is None
    said.clear()
    assert daemon.status(said.append) == 1
    assert said[0] == f"(1 more for other checkouts: {other.parent})"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    process.stdout.close()
