"""The report server's wire: JSON messages on a Unix socket, after a shared-key handshake.

Nothing received is ever unpickled (``multiprocessing.connection``'s
``send``/``recv`` are pickle: whoever can answer runs code in the reader).
A message is a 4-byte big-endian length and that many bytes of UTF-8 JSON
holding one object, at most :data:`LARGEST` bytes. Both sides prove they
hold the key from the server's owner-only address file before anything else
is said: each sends 32 random bytes, the other answers with their
HMAC-SHA256 under the key (the server's and the client's answers are keyed
apart, so one cannot be replayed as the other).

Every read has a deadline and watches a stop event, so a peer that says
nothing, too much or something else costs its own connection a few seconds
and never the other side. Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import socket
import struct
import threading
import time

#: The largest message either side accepts, in bytes (a command line is a few hundred).
LARGEST = 1 << 20

_LENGTH = struct.Struct("!I")
_POLL_SECONDS = 0.25


class WireError(Exception):
    """The peer broke the protocol: a wrong key, a bad message, or silence past the deadline."""


def send(connection: socket.socket, message: dict) -> None:
    """Send one JSON object (raises OSError if the peer has gone)."""
    body = json.dumps(message, ensure_ascii=False).encode("utf-8")
    connection.sendall(_LENGTH.pack(len(body)) + body)


def receive(connection: socket.socket, *, deadline: float | None = None,
            stop: threading.Event | None = None) -> dict:
    """Read one JSON object; ``deadline`` is a :func:`time.monotonic` time (None: wait)."""
    (length,) = _LENGTH.unpack(_read_exactly(connection, _LENGTH.size, deadline, stop))
    if length > LARGEST:
        raise WireError(f"a message of {length} bytes (at most {LARGEST})")
    try:
        message = json.loads(_read_exactly(connection, length, deadline, stop).decode("utf-8"))
    except ValueError as error:  # bad UTF-8 or JSON
        raise WireError(f"a message that is not JSON ({error})") from None
    if not isinstance(message, dict):
        raise WireError(f"a JSON {type(message).__name__} where an object was expected")
    return message


def greet_client(connection: socket.socket, key: bytes, *, deadline: float,
                 stop: threading.Event | None = None) -> None:
    """The server's side of the handshake: the client must prove the key, then we do."""
    challenge = secrets.token_bytes(32)
    send(connection, {"challenge": challenge.hex()})
    reply = receive(connection, deadline=deadline, stop=stop)
    if not _proves(reply.get("answer"), key, b"client", challenge):
        raise WireError("a client that does not hold the key")
    theirs = _challenge_in(reply)
    send(connection, {"answer": _answer(key, b"server", theirs)})


def greet_server(connection: socket.socket, key: bytes, *, deadline: float) -> None:
    """The client's side of the handshake: prove the key, then check the server holds it."""
    theirs = _challenge_in(receive(connection, deadline=deadline))
    challenge = secrets.token_bytes(32)
    send(connection, {"answer": _answer(key, b"client", theirs), "challenge": challenge.hex()})
    if not _proves(receive(connection, deadline=deadline).get("answer"), key, b"server", challenge):
        raise WireError("a server that does not hold the key")


def _answer(key: bytes, side: bytes, challenge: bytes) -> str:
    return hmac.new(key, side + challenge, hashlib.sha256).hexdigest()


def _proves(answer: object, key: bytes, side: bytes, challenge: bytes) -> bool:
    return isinstance(answer, str) and hmac.compare_digest(answer, _answer(key, side, challenge))


def _challenge_in(message: dict) -> bytes:
    try:
        challenge = bytes.fromhex(message["challenge"])
    except (KeyError, TypeError, ValueError):
        raise WireError("a handshake without a challenge") from None
    if len(challenge) != 32:
        raise WireError(f"a challenge of {len(challenge)} bytes (32 expected)")
    return challenge


def _read_exactly(connection: socket.socket, size: int, deadline: float | None,
                  stop: threading.Event | None) -> bytes:
    """``size`` bytes, waking every quarter second to look at the deadline and the stop event."""
    chunks, missing = [], size
    while missing:
        if stop is not None and stop.is_set():
            raise WireError("the server is stopping")
        if deadline is None and stop is None:
            connection.settimeout(None)
        else:
            left = _POLL_SECONDS if deadline is None else deadline - time.monotonic()
            if left <= 0:
                raise WireError("a peer that stayed silent past its time")
            connection.settimeout(min(left, _POLL_SECONDS))
        try:
            chunk = connection.recv(min(missing, 1 << 16))
        except TimeoutError:
            continue
        if not chunk:
            raise WireError("a peer that hung up")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)
