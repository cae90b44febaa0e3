"""Where the files shipped with the package are: notebooks, sample data,
report templates and translation catalogues.

Defined once here, for every layer. In a checkout (``pip install -e .``, as
``make`` does) the notebooks and the sample data are the repository's own
``notebooks/`` and ``data/`` folders, where the analyst opens and edits them.
An installed package (``pip install .``) carries copies of both as data files
in ``<prefix>/share/cxmodels/`` (``pyproject.toml``, ``data-files``), laid
out the same way, so a notebook's default ``../data/touchpoints.csv`` is
found from either. The templates and catalogues are package data inside
``cxmodels/reporting/``.
"""

from __future__ import annotations

import site
import sys
import sysconfig
from pathlib import Path

#: The package's source folder (``cxmodels/``).
PACKAGE = Path(__file__).resolve().parents[1]


def shipped(folder: str, marker: str) -> Path:
    """The checkout's ``folder`` beside the package, else the installed copy
    under ``share/cxmodels/`` (the checkout's path where neither has
    ``marker``, so the error names the place a checkout would have it)."""
    checkout = PACKAGE.parent / folder
    if (checkout / marker).is_file():
        return checkout
    prefixes = (sys.prefix, sysconfig.get_path("data"), site.getuserbase())
    for prefix in dict.fromkeys(prefixes):
        installed = Path(prefix) / "share" / "cxmodels" / folder
        if (installed / marker).is_file():
            return installed
    return checkout


#: The model notebooks that reports are executed from.
NOTEBOOKS = shipped("notebooks", "06_cx_business_case.ipynb")

#: Sample data and the default data files (touchpoint map, initiative backlog).
DATA = shipped("data", "initiatives.csv")

#: nbconvert templates of the reports (offline, print-friendly).
TEMPLATES = PACKAGE / "reporting" / "templates"

#: Report catalogues: ``<language>/LC_MESSAGES/messages.mo``.
LOCALES = PACKAGE / "reporting" / "locale"
