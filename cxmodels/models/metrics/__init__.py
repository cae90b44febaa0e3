"""Temporary: the module moved to model.py; split into arithmetic and words next."""

from .model import *  # noqa: F401,F403
