"""Text from people's files shown in reports: never markup.

Titles, notes, initiative and channel names come from scenario files and
CSV files. A report shows them as typed: ``<script>`` is shown, not run, and
``*bold*`` or ``[link](x)`` stays literal.
"""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def markdown_text(text: object) -> str:
    """``text`` for a Markdown cell or output: HTML-escaped, Markdown syntax backslashed.

    ``<b>Bus</b> *deal*`` becomes ``&lt;b&gt;Bus&lt;/b&gt; \\*deal\\*``, which a
    Markdown renderer shows exactly as typed.
    """
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(text), quote=False))
