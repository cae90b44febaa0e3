"""The ``cxmodels`` command: a report server's if one runs, else the command line's.

Only the standard library is imported before the choice: handing a
``report`` to a running ``cxmodels serve`` (:mod:`cxmodels.reporting.execute.server`)
must not first pay for importing the models and pandas.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["report"] and not {"-h", "--help"} & set(argv):
        from .reporting.execute.server import forward

        code = forward(argv)
        if code is not None:
            return code
    from .cli import main as command_line

    return command_line(argv)
