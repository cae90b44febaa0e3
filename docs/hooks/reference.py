"""The site's generated reference pages: the command line and the scenario files.

A MkDocs hook (``hooks:`` in ``mkdocs.yml``): on every build it writes
``reference/cli.md`` from the argument parser (:func:`cxmodels.cli._parser`)
and ``reference/scenario-files.md`` from the registered models' parameter
specs, so neither page can drift from the code and neither is kept in git.
"""

from __future__ import annotations

import argparse
import math
import os

from mkdocs.structure.files import File

CLI_PAGE = "reference/cli.md"
SCHEMA_PAGE = "reference/scenario-files.md"


def on_files(files, config):
    """Add the two generated pages to the site's files."""
    for uri, content in ((CLI_PAGE, cli_page()), (SCHEMA_PAGE, scenario_page())):
        files.append(File.generated(config, uri, content=content))
    return files


# --- the command line ------------------------------------------------------------------


def cli_page() -> str:
    """Markdown for every command and sub-command of ``cxmodels``, each its ``--help``."""
    from cxmodels.cli import _parser

    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "96"  # argparse wraps at the terminal's width: make it one width
    try:
        sections = list(_sections(_parser(), "cxmodels", level=2))
    finally:
        if previous is None:
            os.environ.pop("COLUMNS")
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join([
        "# Command line",
        "",
        "Generated from the argument parser (`cxmodels.cli._parser()`) when the site is",
        "built, so it is what `cxmodels COMMAND --help` prints. A user's slip exits with",
        "status 2 and one line per problem; a report that fails exits with status 1",
        "after the others are written.",
        "",
        *sections,
    ])


def _sections(parser: argparse.ArgumentParser, name: str, level: int):
    yield f"{'#' * level} `{name}`\n\n```text\n{parser.format_help().rstrip()}\n```\n"
    for action in parser._actions:  # argparse keeps sub-commands only here
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                yield from _sections(sub, f"{name} {command}", min(level + 1, 4))


# --- scenario files --------------------------------------------------------------------

_TOP = """\
# Scenario files

Generated from the models' parameter specs (`cxmodels.registry.MODELS`, each
`Param`: name, unit, default, allowed range, source, help) when the site is
built. A scenario file is YAML, one scenario a file, read by
`cxmodels.reporting.scenarios.scenario.load_scenario`:

| key | required | what it holds |
| --- | --- | --- |
| `title` | yes | the report's title, as typed |
| `model` | yes | one of the models below |
| `notes` | no | text shown in the report's banner, as typed |
| `seed` | no | a whole number >= 0 for the Monte Carlo |
| `language` | no | `en` (default) or `fi`; `--lang` on the command line wins |
| `data` | no | data files by kind, relative to the scenario file's folder |
| `columns` | no | a survey's columns by role where they are not recognised (`nps: Q7`) |
| `parameters` | no | values by parameter name; a parameter not given keeps its default |
| `sources` | no | where a value came from, by parameter name (`cxmodels calibrate` writes it) |

Shares are fractions (`0.30`, not `30`). In a model that takes distributions a
parameter may be a distribution instead of a number:
`{dist: pert, low: 0.3, mode: 0.9, high: 1.2}`; kinds `triangular` and `pert`
(low, mode, high), `uniform` (low, high), `normal` and `lognormal` (mean, sd),
`beta` (mean, sd; shares only). Limits of the file itself (size, keys,
nesting, no aliases or tags) are in [Run a batch](../how-to/batch.md).
"""


def scenario_page() -> str:
    """Markdown: the keys of a scenario file, then each model's parameters."""
    from cxmodels.core.paths import NOTEBOOKS
    from cxmodels.registry import MODELS
    from cxmodels.reporting.scenarios import data_files

    parts = [_TOP]
    for model in MODELS.values():
        kinds = data_files.accepted(model, NOTEBOOKS / model.notebook)
        parts += [
            f"## `{model.name}`",
            "",
            f"Notebook `notebooks/{model.notebook}`; data files: "
            + (", ".join(f"`{kind}`" for kind in kinds) or "none")
            + ("; parameters may be distributions." if model.takes_distributions else "."),
            "",
            "| parameter | unit | default | allowed range | source | meaning |",
            "| --- | --- | ---: | --- | --- | --- |",
            *(_row(param) for param in model.params),
            "",
        ]
    return "\n".join(parts)


def _row(param) -> str:
    high = "no limit" if math.isinf(param.high) else _number(param.high)
    source = ("analyst's estimate" if param.source == "analyst"
              else f"[[{param.source}]](../sources.md#{param.source})")
    kind = " (whole)" if param.integer else ""
    return (f"| `{param.name}` | {param.unit}{kind} | {_number(param.default)} | "
            f"{_number(param.low)} to {high} | {source} | {param.help.replace('|', '/')} |")


def _number(value: float) -> str:
    return f"{value:,g}" if abs(value) < 1e6 else f"{value:,.0f}"
