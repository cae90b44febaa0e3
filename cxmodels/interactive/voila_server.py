"""The dashboard's Voila server, closed to strangers.

Voila 0.5 on its own starts without a token when none is configured, answers
any Host header (its settings allow remote access), starts a kernel for every
GET of the page and never culls it, and moves to the next port when the one
asked for is taken. :class:`DashboardVoila` keeps Voila and changes only that:

- **A token** (made by the caller, never on a command line) is required
  by Jupyter's identity provider: the printed URL carries it, the browser
  then holds a login cookie.
- **Loopback only**: every handler first checks that ``Host`` is
  ``127.0.0.1``, ``localhost`` or ``[::1]`` (with any port) and that an
  ``Origin``, where the browser sends one, is this very host: a web page
  reaching the port through DNS rebinding (``Host: evil.example``) or from
  another site is refused with 403 before anything runs.
- **A handful of kernels**: at most ``most_kernels`` at once (a page beyond
  that gets 503 and a sentence); a page's kernel stops when the page closes
  (Voila's own beacon) and a kernel without a page is culled after
  ``cull_idle_timeout`` seconds.
- **The port asked for, or none**: a taken port is a one-line error; port 0
  takes a free one, and the URL printed is the port actually listened on.
- **Everything ends with it**: SIGTERM or Ctrl-C stops the loop, shuts down
  every kernel and removes Voila's connection files (kept in the caller's
  temporary folder).
"""

from __future__ import annotations

import errno
import inspect
import re
from collections.abc import Callable
from pathlib import Path

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer, Unicode
from voila.app import Voila

from ..core.errors import CxError
from ..reporting.words.language import translate

#: Names a request's ``Host`` may give (any port): loopback only.
LOOPBACK_HOST = re.compile(r"^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$", re.IGNORECASE)

#: Kernels (open pages) served at once.
MOST_KERNELS = 4

#: Seconds a kernel without a page is kept; the culler looks every ``CULL_INTERVAL`` seconds.
KERNEL_IDLE_SECONDS = 300
CULL_INTERVAL = 30


class DashboardError(CxError):
    """The dashboard cannot be served as asked (a taken port)."""


def foreign_request(host: str | None, origin: str | None) -> str:
    """Why a request with these ``Host`` and ``Origin`` headers is refused, or "".

    ``Host`` must name the loopback interface; ``Origin``, if sent, must be
    ``http://`` and that same host and port (a browser sends the page's own
    origin on its requests, another site's when another site asks).
    """
    if not host or not LOOPBACK_HOST.match(host):
        return f"Host {host!r} is not this computer's loopback name"
    if origin is not None and origin.lower() != f"http://{host.lower()}":
        return f"Origin {origin!r} is not this dashboard (http://{host})"
    return ""


class _LoopbackOnly:
    """Checks Host and Origin before the handler it is mixed into does anything."""

    async def prepare(self, *args, **kwargs):
        problem = foreign_request(self.request.headers.get("Host"),
                                  self.request.headers.get("Origin"))
        if problem:
            raise web.HTTPError(403, "refused: %s", problem)
        prepared = super().prepare(*args, **kwargs)
        if inspect.isawaitable(prepared):
            prepared = await prepared
        return prepared


def _loopback_only(handler: type) -> type:
    return type(handler.__name__, (_LoopbackOnly, handler), {})


class BoundedKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager that starts at most ``most_kernels`` kernels at once."""

    most_kernels = Integer(MOST_KERNELS, config=True,
                           help="Kernels (open dashboard pages) at once; one more gets 503.")
    language = Unicode("en", config=True, help="Language of the 503 page (en, fi).")

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._starting = 0

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") is None and \
                len(self.list_kernel_ids()) + self._starting >= self.most_kernels:
            raise web.HTTPError(503, reason=translate(
                "{count} dashboard pages are open already, the most served at once: close "
                "one, then reload this page", self.language).format(count=self.most_kernels))
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1


class DashboardVoila(Voila):
    """Voila serving one notebook on 127.0.0.1 with a token, loopback names and few kernels.

    Set ``dashboard_token``, ``dashboard_port``, ``on_ready`` (called with the
    URL once listening), ``kernel_idle_seconds``, ``most_kernels`` and
    ``dashboard_language`` (its pages' language) before :meth:`start`.
    """

    dashboard_token = ""
    dashboard_port = 8866
    kernel_idle_seconds = KERNEL_IDLE_SECONDS
    cull_interval = CULL_INTERVAL
    most_kernels = MOST_KERNELS
    dashboard_language = "en"
    on_ready: Callable[[str], None] = staticmethod(lambda url: None)

    def start(self) -> None:
        if not self.dashboard_token:
            raise ValueError("the dashboard needs a token")
        # Whatever a Jupyter or Voila configuration file says, these hold.
        self.token, self.auto_token = self.dashboard_token, False
        self.identity_provider_class = PasswordIdentityProvider
        self.voila_configuration.multi_kernel_manager_class = BoundedKernelManager
        self.voila_configuration.preheat_kernel = False
        self.ip = "127.0.0.1"
        super().start()

    def init_settings(self) -> dict:
        settings = super().init_settings()
        kernels = self.kernel_manager
        kernels.most_kernels = self.most_kernels
        kernels.language = self.dashboard_language
        kernels.cull_idle_timeout = int(self.kernel_idle_seconds)
        kernels.cull_interval = max(1, min(int(self.cull_interval), int(self.kernel_idle_seconds)))
        kernels.cull_connected = False  # a page still open keeps its kernel
        return settings

    def init_handlers(self) -> list:
        return [(pattern, _loopback_only(handler), *rest)
                for pattern, handler, *rest in super().init_handlers()]

    @property
    def display_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_url}?token={self.dashboard_token}"

    def listen(self) -> None:
        """Listen on the port asked for (0: any free one), tell ``on_ready``, serve until stopped."""
        self.app.settings.update(allow_remote_access=False, local_hostnames=["localhost"])
        try:
            sockets = tornado.netutil.bind_sockets(self.dashboard_port, "127.0.0.1")
        except OSError as error:
            self.stop()
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                raise DashboardError(
                    f"port {self.dashboard_port} on 127.0.0.1 is "
                    f"{'taken (another dashboard?)' if error.errno == errno.EADDRINUSE else 'not yours to use'}: "
                    f"give another with --port, e.g. --port 0 for any free one.") from None
            raise
        server = tornado.httpserver.HTTPServer(self.app)
        server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.ioloop = tornado.ioloop.IOLoop.current()
        try:
            self.on_ready(self.display_url)
            if self.open_browser:
                self.launch_browser()
            self.ioloop.start()
        except KeyboardInterrupt:
            self.log.info("Stopping...")
        finally:
            server.stop()
            self.stop()

    def _handle_signal_stop(self, sig, frame) -> None:
        if getattr(self, "ioloop", None) is None:
            raise KeyboardInterrupt  # still starting: unwind, the caller cleans up
        super()._handle_signal_stop(sig, frame)

    def stop(self) -> None:
        if Path(self.connection_dir).exists():
            super().stop()
