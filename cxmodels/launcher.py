"""The ``cxmodels`` command: a report server's if one runs, else the command line's.

Only the standard library is imported before the choice: handing a
``report`` or ``batch`` to the checkout's server
(:mod:`cxmodels.reporting.execute.server`) must not first pay for importing
the models and pandas. Where no server answers, the command runs here, and
a ``report`` starts the server in the background for the next one
(:mod:`cxmodels.reporting.execute.daemon`; ``CXMODELS_SERVER=off`` for
neither). A ``batch`` uses a running server but starts none: a scheduled
batch (``make report``) leaves no process behind.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

#: The commands a report server runs.
SERVED = ("report", "batch")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in SERVED and not {"-h", "--help"} & set(argv):
        from .reporting.execute.daemon import start_in_background
        from .reporting.execute.server import forward

        code = forward(argv)
        if code is not None:
            return code
        if argv[0] == "report":
            start_in_background()  # it warms up while this report renders here
    from .cli import main as command_line

    return command_line(argv)
