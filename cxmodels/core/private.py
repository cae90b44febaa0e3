"""Folders only this user can open: where files are kept that something later trusts.

The report server's address files (:mod:`cxmodels.reporting.execute.server`)
and the Monte Carlo's compiled loops (:mod:`cxmodels.models.business_case.npv`)
live in such a folder: one that another user made first, that is a link, or
that group or others may open is never used, as another user could have
planted a file there.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import CxError


class PrivateFolderError(CxError):
    """A folder that is not this user's alone."""


def private_folder(folder: Path) -> Path:
    """``folder``, made (mode 700) if missing; refused unless it is this user's and closed
    to others.

    Raises
    ------
    PrivateFolderError
        It cannot be made, is a link or a file, belongs to another user, or
        group or others may open it; the message says which.
    """
    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    except OSError as error:
        raise PrivateFolderError(f"{folder} cannot be made ({error.strerror})") from None
    if not hasattr(os, "getuid"):
        return folder
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise PrivateFolderError(f"{folder} is not a folder but a link or a file: not used")
    if info.st_uid != os.getuid():
        raise PrivateFolderError(f"{folder} belongs to user {info.st_uid}, not to you "
                                 f"({os.getuid()}): not used")
    if info.st_mode & 0o077:
        raise PrivateFolderError(f"{folder} is open to other users (mode "
                                 f"{stat.S_IMODE(info.st_mode):o}, 700 expected): not used")
    return folder
