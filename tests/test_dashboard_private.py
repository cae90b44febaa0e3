"""`cxmodels dashboard` closed to strangers: a token, loopback Host and Origin,
a handful of kernels culled when idle, nothing left after SIGTERM or Ctrl-C,
the port it prints is the port it uses, saving stays in --save-to.

Real servers: each test starts the dashboard on a free loopback port and waits
for the line it prints once it listens; a page is a real GET that runs the
notebook in a real kernel (a few seconds each on a shared machine).
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import psutil
import pytest

from browser_lab import printed_url
from cxmodels.interactive.panels import what_if
from cxmodels.interactive.voila_server import foreign_request

SERVE = """
import sys
from cxmodels.interactive.dashboard import serve
sys.exit(serve("touchpoint", port=0, save_folder=sys.argv[1],
               kernel_idle_seconds=float(sys.argv[2]), most_kernels=2))
"""


@pytest.fixture
def start(tmp_path):
    """Starts a dashboard: (process, its URL, the temp folder it was given, empty at start).
    Whatever a test leaves running is killed afterwards, its kernels too."""
    started = []

    def starting(command):
        temp = tmp_path / "temp"
        temp.mkdir()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, cwd=tmp_path, start_new_session=True,
                                   env={**os.environ, "TMPDIR": str(temp)})
        started.append(process)
        return process, printed_url(process, tmp_path / "dashboard.log"), temp

    yield starting
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def get(url, *, host=None, origin=None, path=None):
    """(status, body) of a GET of ``url`` with these Host and Origin headers, no redirects."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=180)
    headers = {"Host": host or parts.netloc, **({"Origin": origin} if origin else {})}
    connection.request("GET", path or f"{parts.path}?{parts.query}", headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def kernels(process):
    """The dashboard's live kernel processes (an ended one not yet reaped is gone)."""
    found = []
    for child in psutil.Process(process.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            pass
    return found


def wait_until(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def ends_clean(process, temp, stop=signal.SIGTERM):
    family = [process.pid, *(child.pid for child in psutil.Process(process.pid).children(recursive=True))]
    process.send_signal(stop)
    assert process.wait(timeout=60) == 0
    process.stdout.close()
    alive = [pid for pid in family if psutil.pid_exists(pid)
             and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert alive == [], f"left running: {alive}"
    assert list(temp.iterdir()) == [], "the temporary folder was left behind"


@pytest.mark.parametrize("host, origin, refused", [
    ("127.0.0.1:8866", None, False),
    ("localhost:8866", "http://localhost:8866", False),
    ("LOCALHOST", None, False),
    ("[::1]:8866", "http://[::1]:8866", False),
    ("evil.example:8866", None, True),  # DNS rebinding: the name points at 127.0.0.1
    ("127.0.0.1.evil.example:8866", None, True),
    ("localhost.evil.example", None, True),
    ("192.168.1.20:8866", None, True),
    ("/tmp", None, True),  # Jupyter's own check lets an existing path through
    ("", None, True),
    ("127.0.0.1:8866", "http://evil.example", True),
    ("127.0.0.1:8866", "http://localhost:8866", True),  # another name is another site
    ("127.0.0.1:8866", "http://127.0.0.1:9999", True),  # another local server
    ("127.0.0.1:8866", "null", True),
    ("127.0.0.1:8866", "https://127.0.0.1:8866", True),
])
def test_only_loopback_hosts_and_this_origin_are_let_in(host, origin, refused):
    assert bool(foreign_request(host, origin)) is refused


def test_a_stranger_gets_nothing_and_kernels_stay_few(tmp_path, start):
    process, url, temp = start([sys.executable, "-c", SERVE, str(tmp_path / "saved"), "600"])
    assert urlsplit(url).hostname == "127.0.0.1" and "token=" in url
    port = urlsplit(url).port
    with socket.socket() as probe:  # the printed port is the one listened on
        assert probe.connect_ex(("127.0.0.1", port)) == 0

    # Without the token (or with another one): the login page, no kernel.
    status, _ = get(url, path="/")
    assert status == 302
    status, _ = get(url, path="/?token=" + "x" * 43)
    assert status == 302
    # A foreign Host (DNS rebinding) or Origin, even with the token: 403, no kernel.
    assert get(url, host=f"evil.example:{port}")[0] == 403
    assert get(url, origin="http://evil.example")[0] == 403
    assert kernels(process) == []

    # With the token: the panel, one kernel per page, at most two here.
    status, page = get(url)
    assert status == 200 and "application/vnd.jupyter.widget-view+json" in page  # the panel
    assert get(url, host=f"localhost:{port}")[0] == 200
    assert len(kernels(process)) == 2
    status, page = get(url)
    assert status == 503 and "2 dashboard pages are open already" in page
    assert len(kernels(process)) == 2
    ends_clean(process, temp, signal.SIGTERM)


def test_a_kernel_without_its_page_is_culled(tmp_path, start):
    process, url, temp = start([sys.executable, "-c", SERVE, str(tmp_path / "saved"), "2"])
    assert get(url)[0] == 200  # a page that never connects, as a closed one
    wait_until(lambda: kernels(process) == [], "the idle kernel was not culled")
    ends_clean(process, temp, signal.SIGTERM)


def test_ctrl_c_ends_the_dashboard_its_kernels_and_its_folder(tmp_path, start):
    process, url, temp = start([sys.executable, "-m", "cxmodels", "dashboard", "touchpoint",
                                "--port", "0", "--save-to", str(tmp_path / "saved")])
    assert get(url)[0] == 200
    assert len(kernels(process)) == 1
    ends_clean(process, temp, signal.SIGINT)


def test_a_taken_port_is_refused_in_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        temp = tmp_path / "temp"
        temp.mkdir()
        run = subprocess.run([sys.executable, "-m", "cxmodels", "dashboard", "touchpoint",
                              "--port", str(port)], capture_output=True, text=True, timeout=120,
                             env={**os.environ, "TMPDIR": str(temp)})
    assert run.returncode == 2, run.stderr
    assert f"cxmodels: error: port {port} on 127.0.0.1 is taken" in run.stderr
    assert "Traceback" not in run.stderr and "dashboard on" not in run.stdout
    assert list(temp.iterdir()) == []


def test_saving_writes_only_under_the_save_folder(tmp_path):
    folder = tmp_path / "saved"
    panel = what_if("touchpoint", save_folder=folder, show=False)
    for title in ("../../outside", "/etc/cron.d/x", "..", "C:\\\\evil"):  # typed in the title box
        panel.save_title.value = title
        panel._save_clicked()  # what "Save as scenario" runs
    written = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*.yaml"))
    assert written and all(path.parent.name == "saved" for path in written), written
    assert [path.name for path in written] == sorted(
        ["outside.yaml", "etc-cron-d-x.yaml", "scenario.yaml", "c-evil.yaml"])
