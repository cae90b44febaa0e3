"""The YAML a scenario file may use: small, plain, read as people write it.

PyYAML's safe loader is safe from code execution, but not from surprises or
from files that cost minutes and gigabytes. :func:`parse_scenario_yaml`
reads one scenario file with these bounds and readings:

- at most :data:`MAX_BYTES` bytes, :data:`MAX_NODES` values and keys and
  :data:`MAX_DEPTH` levels of nesting (a scenario needs a few dozen);
- no anchors or aliases (``&name``, ``*name``: a "billion laughs" file
  expands a few lines into gigabytes) and no explicit tags (``!!int``);
- every key is text (``2024:``, ``null:`` are refused; ``on:``/``yes:`` are
  the text ``on``/``yes``), and a key given twice is an error, not a silent
  replacement of the first;
- numbers are read as people write them (YAML 1.2 core schema): ``1:30`` is
  text, not 90 minutes; ``0x10`` and ``0o17`` are text; ``010`` is ten;
  ``1e-300``, ``1e3`` and ``2.5`` are numbers; ``true``/``false`` are the
  only booleans; ``2024-01-31`` is text, not a date.

Every problem is one :class:`~cxmodels.reporting.scenarios.scenario.ScenarioError`
line naming the file and, where there is one, the line.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ...core.errors import CxError

#: Largest scenario file read, in bytes (the shipped ones are under 2 kB).
MAX_BYTES = 256 * 1024
#: Most keys and values (YAML nodes) in one file.
MAX_NODES = 5_000
#: Deepest nesting of mappings and lists.
MAX_DEPTH = 10

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"


class ScenarioYamlError(CxError):
    """The file is not the plain YAML a scenario file may use."""


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars and the bounds above."""

    yaml_implicit_resolvers: dict = {}

    def __init__(self, stream: str, path: Path) -> None:
        super().__init__(stream)
        self.path = path
        self.nodes = 0
        self.depth = 0

    def _fail(self, mark, text: str) -> None:
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise ScenarioYamlError(f"{self.path}{line}: {text}")

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self._fail(event.start_mark, "anchors and aliases (`&name`, `*name`) are not allowed in "
                       "scenario files; write each value out.")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self._fail(event.start_mark, f"the YAML tag `{tag}` is not allowed in scenario files; "
                       "write the plain value (quote text).")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(event.start_mark, f"more than {MAX_NODES:,} keys and values; a scenario "
                       "needs a title, a model and its parameters.")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._fail(event.start_mark, f"nested more than {MAX_DEPTH} levels deep; a scenario "
                       "needs at most `parameters:` and a distribution under it.")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution),
# except that `010` is ten (as people write it), not octal, and `0o`/`0x`
# numbers are text. Ints and floats may use `_` between digits (`1_000`).
_DIGITS = r"[0-9](?:_?[0-9])*"
_RESOLVERS = (
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_INT, rf"^[-+]?{_DIGITS}$", "-+0123456789"),
    (_FLOAT, rf"^[-+]?(?:{_DIGITS}(?:\.(?:{_DIGITS})?)?|\.{_DIGITS})(?:[eE][-+]?{_DIGITS})?$"
             r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$", "-+0123456789."),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)
for _tag, _pattern, _first in _RESOLVERS:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _construct_int(loader: _Loader, node: ScalarNode) -> int:
    return int(loader.construct_scalar(node).replace("_", ""))


def _construct_float(loader: _Loader, node: ScalarNode) -> float:
    text = loader.construct_scalar(node).replace("_", "").lower()
    return float(text.replace(".inf", "inf").replace(".nan", "nan"))


_Loader.add_constructor(_INT, _construct_int)
_Loader.add_constructor(_FLOAT, _construct_float)

_KIND = {_INT: "a number", _FLOAT: "a number", _BOOL: "true/false", _NULL: "empty (null)"}


def read_scenario_text(path: Path) -> str:
    """The file's text, refusing files larger than :data:`MAX_BYTES` before reading them."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise ScenarioYamlError(f"{path}: cannot be read ({error.strerror or error}).") from None
    if len(raw) > MAX_BYTES:
        raise ScenarioYamlError(
            f"{path}: larger than {MAX_BYTES // 1024} kB; a scenario file holds a title, a model "
            "and its parameters (put data in a CSV file)."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioYamlError(
            f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8."
        ) from None


def parse_scenario_yaml(path: Path, text: str):
    """The node tree (for line numbers) and the plain data of one scenario file.

    Raises
    ------
    ScenarioYamlError
        One line naming the file and line: malformed YAML, several documents,
        an anchor, alias or tag, a file too large or too deep, a key that is
        not text, or a key given twice.
    """
    loader = None
    try:
        loader = _Loader(text, path)  # the reader refuses control characters here
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_keys(path, root)
        data = loader.construct_document(root)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f", line {mark.line + 1}" if mark else ""
        problem = " ".join(str(error.problem or error.context).split())
        raise ScenarioYamlError(
            f"{path}{line}: not valid YAML ({problem}); check the indentation and that each "
            "setting is written `name: value`."
        ) from None
    except yaml.YAMLError as error:
        raise ScenarioYamlError(f"{path}: not valid YAML ({' '.join(str(error).split())}).") from None
    finally:
        if loader is not None:
            loader.dispose()
    return root, data


def _check_keys(path: Path, node) -> None:
    """Keys are text and given once, at every level."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                line = key.start_mark.line + 1
                if not isinstance(key, ScalarNode) or key.tag != _STR:
                    shown = key.value if isinstance(key, ScalarNode) else "a list or mapping"
                    kind = _KIND.get(key.tag, "not text") if isinstance(key, ScalarNode) else "not text"
                    raise ScenarioYamlError(
                        f"{path}, line {line}: the key `{shown}` is {kind}, not a name; keys are "
                        "names such as `title` or `buyers_per_trip`."
                    )
                if key.value in seen:
                    raise ScenarioYamlError(
                        f"{path}, line {line}: `{key.value}` is given twice (first on line "
                        f"{seen[key.value]}); keep one."
                    )
                seen[key.value] = line
                stack.append(value)
