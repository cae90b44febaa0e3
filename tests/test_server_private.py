"""`cxmodels serve` closed to strangers: a private folder, a protocol that never
unpickles, bad and silent clients that cost only their own connection, SIGTERM.

The server here runs a stand-in command (it echoes the command line, or
blocks until interrupted) so each test starts it in a second, not the minute
a warm kernel takes; the report itself through the server is tests/test_server.py.
"""

import json
import multiprocessing.connection
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from cxmodels.reporting.execute import server, wire

SERVER = """
import sys, time
from cxmodels.reporting.execute import server

def run(argv):
    if argv[:1] == ["block"]:
        print("started", flush=True)
        time.sleep(3600)  # until SIGTERM interrupts it
    print("ran " + " ".join(argv))
    return 3

server.serve(run, idle_seconds=600, log=lambda line: print(line, flush=True))
"""

CLIENT = """
import sys
from cxmodels.reporting.execute import server
sys.exit(server.forward(sys.argv[1:]))
"""

ANOTHER_USER = 4242


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    folder = tmp_path / "runtime"
    monkeypatch.setenv(server.RUNTIME, str(folder))
    monkeypatch.delenv(server.SWITCH, raising=False)
    return folder


@pytest.fixture
def serving(runtime):
    """A server process (stand-in command), ready when it says it serves; stopped after."""
    process = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    first = process.stdout.readline()  # printed once the address is published
    assert first.startswith("serving reports"), first + process.stdout.read()
    yield process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    process.stdout.close()


def key_and_socket():
    details = json.loads(server.address_file().read_text(encoding="utf-8"))
    return bytes.fromhex(details["key"]), details["address"]


def raw_connection(address):
    connection = socket.socket(socket.AF_UNIX)
    connection.settimeout(10)
    connection.connect(address)
    return connection


def test_a_folder_another_user_made_first_is_passed_over(tmp_path, monkeypatch, capsys):
    if os.geteuid() != 0:
        pytest.skip("simulating a second user needs root (os.chown to another uid)")
    monkeypatch.delenv(server.RUNTIME, raising=False)
    monkeypatch.delenv(server.SWITCH, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    own = tmp_path / "xdg"
    own.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(own))
    # The other user makes <tmp>/cxmodels-<our uid> first and plants an address whose
    # "server" sends a pickle that runs code in whoever reads it.
    planted = tmp_path / f"cxmodels-{os.getuid()}"
    planted.mkdir(mode=0o755)
    key = os.urandom(32)
    address = planted / f"server-{server.fingerprint()}.sock"
    listener = multiprocessing.connection.Listener(str(address), family="AF_UNIX", authkey=key)
    marker = tmp_path / "code-ran-as-the-victim"
    (planted / f"server-{server.fingerprint()}.json").write_text(json.dumps(
        {"address": str(address), "key": key.hex(), "pid": 1}), encoding="utf-8")
    for path in (planted, *planted.iterdir()):
        os.chown(path, ANOTHER_USER, ANOTHER_USER)
    attacker = threading.Thread(target=_send_a_pickle, args=(listener, marker), daemon=True)
    attacker.start()

    assert server.forward(["report", "touchpoint"]) is None  # rendered in-process
    assert not marker.exists()
    assert server.runtime_folder() == own / "cxmodels"
    assert (own / "cxmodels").stat().st_mode & 0o777 == 0o700
    warning = capsys.readouterr().err
    assert f"{planted} belongs to user {ANOTHER_USER}" in warning and "not used" in warning
    with socket.socket(socket.AF_UNIX) as wake:  # end the attacker's wait
        wake.connect(str(address))
    attacker.join(10)
    listener.close()


def _send_a_pickle(listener, marker):
    class Planted:
        def __reduce__(self):
            return os.mkdir, (str(marker),)

    try:
        with listener.accept() as connection:
            connection.recv()
            connection.send(Planted())
    except Exception:  # noqa: BLE001 - the victim hung up: what the test wants
        pass


def test_a_folder_open_to_others_or_a_link_is_refused(tmp_path, monkeypatch):
    open_folder = tmp_path / "open"
    open_folder.mkdir()
    open_folder.chmod(0o777)
    monkeypatch.setenv(server.RUNTIME, str(open_folder))
    with pytest.raises(server.RuntimeFolderError, match=r"open to other users \(mode 777"):
        server.runtime_folder()
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    monkeypatch.setenv(server.RUNTIME, str(link))
    with pytest.raises(server.RuntimeFolderError, match="not a folder but a link"):
        server.runtime_folder()
    monkeypatch.setenv(server.RUNTIME, str(tmp_path / "made"))
    made = server.runtime_folder()
    assert made.stat().st_mode & 0o777 == 0o700 and made.stat().st_uid == os.getuid()
    # The command line says it in one line and renders in-process.
    monkeypatch.setenv(server.RUNTIME, str(open_folder))
    assert server.forward(["report", "touchpoint"]) is None
    run = subprocess.run([sys.executable, "-m", "cxmodels", "serve"], capture_output=True,
                         text=True, timeout=120, env={**os.environ})
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().count("\n") == 0 and "open to other users" in run.stderr


def test_the_client_never_unpickles_what_a_server_sends(runtime, tmp_path):
    # Even a listener holding the right key (an old pickle server, say) runs no code here.
    key = os.urandom(32)
    folder = server.runtime_folder()
    address = folder / f"server-{server.fingerprint()}.sock"
    listener = multiprocessing.connection.Listener(str(address), family="AF_UNIX", authkey=key)
    server.address_file().write_text(json.dumps({"address": str(address), "key": key.hex()}),
                                     encoding="utf-8")
    server.address_file().chmod(0o600)
    marker = tmp_path / "unpickled"
    attacker = threading.Thread(target=_send_a_pickle, args=(listener, marker), daemon=True)
    attacker.start()
    assert server.forward(["report", "touchpoint"]) is None
    attacker.join(10)
    listener.close()
    assert not attacker.is_alive() and not marker.exists()


def test_an_address_file_others_may_read_is_not_used(runtime):
    server.address_file().write_text(json.dumps({"key": "00" * 32}), encoding="utf-8")
    server.address_file().chmod(0o644)
    with pytest.raises(ValueError, match="not private"):
        server._read_key(server.address_file())
    assert server.forward(["report", "touchpoint"]) is None


def test_a_server_that_does_not_hold_the_key_is_no_server(runtime):
    folder = server.runtime_folder()
    address = folder / f"server-{server.fingerprint()}.sock"
    server._publish(server.address_file(), {"address": str(address), "key": "11" * 32})
    with socket.socket(socket.AF_UNIX) as impostor:
        impostor.bind(str(address))
        impostor.listen(1)
        answered = threading.Thread(target=_impostor, args=(impostor,), daemon=True)
        answered.start()
        assert server.forward(["report", "touchpoint"]) is None
        answered.join(10)


def _impostor(listener):
    connection, _ = listener.accept()
    with connection:
        wire.send(connection, {"challenge": os.urandom(32).hex()})
        wire.receive(connection, deadline=time.monotonic() + 5)
        wire.send(connection, {"answer": "00" * 32})  # cannot prove a key it lacks


@pytest.mark.parametrize("greeting", [
    pytest.param(b"garbage that is no length", id="garbage"),
    pytest.param(struct.pack("!I", 1 << 30), id="a 1 GB length"),
    pytest.param(struct.pack("!I", 4) + b"[1]!", id="not JSON"),
    pytest.param(struct.pack("!I", 3) + b"[1]", id="a list"),
    pytest.param(b"", id="a hang-up"),
])
def test_a_bad_client_loses_its_own_connection_not_the_server(serving, greeting):
    _, address = key_and_socket()
    with raw_connection(address) as connection:
        connection.sendall(greeting)
        if greeting:
            assert wire.receive(connection, deadline=time.monotonic() + 10)["challenge"]
            connection.shutdown(socket.SHUT_WR)
            with pytest.raises((wire.WireError, ConnectionResetError)):  # the server hangs up
                wire.receive(connection, deadline=time.monotonic() + 10)
    assert serving.stdout.readline().startswith("refused a connection")
    assert server.forward(["report", "x"]) == 3  # the next client is served
    assert serving.poll() is None


def test_a_wrong_key_and_bad_requests_are_refused_in_one_line_each(serving):
    key, address = key_and_socket()
    with raw_connection(address) as connection:
        challenge = bytes.fromhex(wire.receive(connection, deadline=time.monotonic() + 10)["challenge"])
        wire.send(connection, {"answer": "00" * 32, "challenge": os.urandom(32).hex()})
        with pytest.raises(wire.WireError, match="hung up"):
            wire.receive(connection, deadline=time.monotonic() + 10)
    assert serving.stdout.readline().strip() == \
        "refused a connection: a client that does not hold the key."
    assert challenge

    for request, problem in [({"argv": ["report"], "fingerprint": "x"}, "`cwd`"),
                             ({"argv": "report", "cwd": "/", "fingerprint": "x"}, "`argv`"),
                             ({"argv": [1], "cwd": "/", "fingerprint": "x"}, "`argv`"),
                             ({"argv": [], "cwd": "/"}, "`fingerprint`")]:
        with raw_connection(address) as connection:
            wire.greet_server(connection, key, deadline=time.monotonic() + 10)
            wire.send(connection, request)
            said = wire.receive(connection, deadline=time.monotonic() + 10)
            assert problem in said["err"] and said["err"].count("\n") == 1
            assert wire.receive(connection, deadline=time.monotonic() + 10) == {"exit": 2}
        assert problem in serving.stdout.readline()
    assert server.forward(["report", "x"]) == 3
    assert serving.poll() is None


def test_a_silent_client_neither_blocks_others_nor_survives_sigterm(serving, capfd):
    _, address = key_and_socket()
    silent = raw_connection(address)  # connects and never says a word
    assert server.forward(["report", "while", "silent"]) == 3
    assert "ran report while silent" in capfd.readouterr().out
    serving.send_signal(signal.SIGTERM)
    assert serving.wait(timeout=10) == 0
    assert not server.address_file().exists()
    silent.close()


def test_sigterm_interrupts_a_report_in_progress(serving, runtime):
    client = subprocess.Popen([sys.executable, "-c", CLIENT, "block"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert client.stdout.readline() == "started\n"  # the command is running on the server
        serving.send_signal(signal.SIGTERM)
        assert serving.wait(timeout=30) == 0
        assert client.wait(timeout=30) == 130
        assert "interrupted" in client.stderr.read()
        assert not server.address_file().exists()
    finally:
        if client.poll() is None:
            client.kill()
        client.communicate(timeout=30)
