"""Compare two batch output folders file by file: did a change to the batch alter a report?

Run with ``python benchmarks/compare_batches.py OLD NEW [--checkout OLD_ROOT=NEW_ROOT]``
after rendering the same scenarios with two versions (e.g. the base commit
from a ``git archive`` copy on ``PYTHONPATH`` into OLD, this checkout into
NEW). What differs between any two runs is taken out first: the time stamps,
the cell and table ids made afresh, papermill's timings, object addresses in
reprs, the code fingerprint (a changed package has another) and the
checkout's folder (``--checkout``); workbooks are compared part by part
(their creation time aside). Prints the files that differ; exit 1 if any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path


def normalised(text: str, checkouts: list[tuple[str, str]]) -> str:
    for old, new in checkouts:
        text = text.replace(old, new)
    text = re.sub(r'id="cell-id=[0-9a-f-]+"', "", text)
    text = re.sub(r"T_[0-9a-f]{5}", "T_", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", text)
    text = re.sub(r" at 0x[0-9a-f]+", "", text)
    return re.sub(r"[0-9a-f]{64}", "<fingerprint>", text)


def notebook_text(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"].pop("papermill", None)
    for cell in notebook["cells"]:
        cell.pop("id", None)
        cell["metadata"].pop("papermill", None)
        cell["metadata"].pop("execution", None)
    return json.dumps(notebook, sort_keys=True, indent=1)


def same(old: Path, new: Path, checkouts: list[tuple[str, str]]) -> bool:
    if old.suffix == ".xlsx":
        with zipfile.ZipFile(old) as a, zipfile.ZipFile(new) as b:
            if sorted(a.namelist()) != sorted(b.namelist()):
                return False
            return all(normalised(a.read(name).decode("utf-8", "replace"), checkouts)
                       == normalised(b.read(name).decode("utf-8", "replace"), checkouts)
                       for name in a.namelist() if name != "docProps/core.xml")
    if old.suffix in (".html", ".json", ".csv", ".ipynb"):
        read = notebook_text if old.suffix == ".ipynb" else (
            lambda path: path.read_text(encoding="utf-8"))
        return normalised(read(old), checkouts) == normalised(read(new), checkouts)
    return old.read_bytes() == new.read_bytes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--checkout", action="append", default=[], metavar="OLD=NEW",
                        help="a folder named in OLD's files that NEW names otherwise")
    args = parser.parse_args()
    checkouts = [tuple(pair.split("=", 1)) for pair in args.checkout]
    names = sorted({p.name for p in args.old.iterdir()} | {p.name for p in args.new.iterdir()})
    differ = [name for name in names
              if not ((args.old / name).exists() and (args.new / name).exists()
                      and same(args.old / name, args.new / name, checkouts))]
    print(f"{len(names) - len(differ)} of {len(names)} files the same"
          + (f"; different or missing: {', '.join(differ)}" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
