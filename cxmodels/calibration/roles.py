"""A file's own column headers mapped to the roles a reader needs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..core.errors import DataFileError


def rename_roles(path: Path, cells: pd.DataFrame, mapping: dict[str, str],
                 roles: Sequence[str]) -> pd.DataFrame:
    """Rename the file's columns named in ``mapping`` (role -> header) to the roles.

    Raises
    ------
    DataFileError
        A key that is no role, or a header the file does not have.
    """
    problems = []
    for role, header in mapping.items():
        if role not in roles:
            problems.append(f"column mapping {role}={header}: `{role}` is not a role here; "
                            f"the roles are {', '.join(roles)}.")
        elif header not in cells.columns:
            problems.append(f"{path}: the column mapping {role}={header} names no column of "
                            f"this file; columns found: {', '.join(cells.columns)}.")
    if problems:
        raise DataFileError(problems)
    return cells.rename(columns={header: role for role, header in mapping.items()})


def require_roles(path: Path, cells: pd.DataFrame, required: Sequence[str]) -> None:
    """Check a file has a column for every ``required`` role and at least one data row.

    Raises
    ------
    DataFileError
        The roles without a column (with the columns found and how to name
        them), or a header with no rows under it.
    """
    missing = [role for role in required if role not in cells.columns]
    if missing:
        raise DataFileError(
            f"{path}: no column for {', '.join(missing)}; columns found: "
            f"{', '.join(cells.columns)}. Name them in a column mapping, e.g. "
            f"--column {missing[0]}=YOUR_HEADER.")
    if cells.empty:
        raise DataFileError(f"{path}: has a header but no data rows.")
