"""`cxmodels serve`: reports handed to a warm server are the reports rendered without it."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from cxmodels.reporting.execute import server

COMMAND = [sys.executable, "-m", "cxmodels"]


def record(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated")
    return data


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    folder = tmp_path / "runtime"
    monkeypatch.setenv(server.RUNTIME, str(folder))
    monkeypatch.delenv(server.SWITCH, raising=False)
    return folder


@pytest.fixture
def serving(runtime, tmp_path):
    """A `cxmodels serve` process of this checkout, stopped (SIGTERM) afterwards."""
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([*COMMAND, "serve", "--idle", "5"], stdout=log,
                               stderr=subprocess.STDOUT)
    published = server.address_file()
    deadline = time.monotonic() + 180
    while not published.exists():
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    yield process, tmp_path / "serve.log", published
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    log.close()


def test_a_served_report_is_the_report_rendered_without_the_server(serving, tmp_path, repo):
    process, log, published = serving
    served = subprocess.run([*COMMAND, "report", "touchpoint", "--set", "spend_per_buyer=23",
                             "-o", "served"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert served.returncode == 0, served.stderr
    assert "report touchpoint --set spend_per_buyer=23 -o served" in log.read_text()
    assert "wrote" in served.stdout  # the server's progress lines reach the caller

    alone = subprocess.run([*COMMAND, "report", "touchpoint", "--set", "spend_per_buyer=23",
                            "-o", "alone"], cwd=tmp_path, capture_output=True, text=True,
                           timeout=300, env={**os.environ, server.SWITCH: "off"})
    assert alone.returncode == 0, alone.stderr
    name = "01_touchpoint_upsell"
    assert record(tmp_path / "served" / f"{name}.json") == record(tmp_path / "alone" / f"{name}.json")
    assert (tmp_path / "served" / f"{name}.xlsx").exists()

    # A slip gets the same message and exit code through the server as without it.
    slips = [subprocess.run([*COMMAND, "report", "touchpoint", "--set", "spend_per_buyer=-5"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
             for env in (dict(os.environ), {**os.environ, server.SWITCH: "off"})]
    assert [s.returncode for s in slips] == [2, 2]
    assert slips[0].stderr == slips[1].stderr and "spend_per_buyer" in slips[0].stderr
    assert log.read_text().count("cxmodels report") == 2

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert not published.exists()  # the next report renders in-process


def test_without_a_server_the_command_runs_itself(runtime):
    assert server.forward(["report", "touchpoint"]) is None


def test_an_address_nobody_answers_is_no_server(runtime):
    server.address_file().write_text(json.dumps(
        {"address": str(runtime / "gone.sock"), "key": "00" * 32, "pid": 1}), encoding="utf-8")
    started = time.monotonic()
    assert server.forward(["report", "touchpoint"]) is None
    assert time.monotonic() - started < 5


def test_the_switch_turns_the_server_off(runtime, monkeypatch):
    monkeypatch.setenv(server.SWITCH, "off")
    server.address_file().write_text("not even json", encoding="utf-8")
    assert server.forward(["report", "touchpoint"]) is None


def test_the_address_follows_the_checkout(runtime, tmp_path, monkeypatch):
    # An edited file is a different checkout: its reports do not go to the old server.
    before = server.address_file()
    copy = tmp_path / "pkg"
    copy.mkdir()
    (copy / "model.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(server, "PACKAGE", copy)
    first = server.fingerprint()
    time.sleep(0.01)
    (copy / "model.py").write_text("x = 22\n", encoding="utf-8")
    assert server.fingerprint() != first
    assert server.address_file() != before
