"""cxmodels: the money behind customer-experience work.

Models turn CX levers (more buyers at a touchpoint, more promoters, less
churn, cheaper service) into a business case with numbers and sources. See
README.md; the models are listed in :mod:`cxmodels.registry`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cxmodels")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0+unknown"
