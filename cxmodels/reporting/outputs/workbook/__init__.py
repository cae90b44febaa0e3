"""Every report as an Excel workbook a finance controller can audit, with live formulas.

:func:`write_workbook` writes the generic Summary and Inputs sheets for any
model, plus the sheets a model registers (:func:`register`); the touchpoint,
the business case, the service, the promoter, the retention and the recession models
(live formulas) and the survey metrics (the comments) register theirs here.
"""

from pathlib import Path

from ....core.data_words import data_kind
from ...words.language import words_for
from . import business_case, promoters, retention, service, survey, touchpoint  # noqa: F401  (they register their sheets)
from . import recession  # noqa: F401  (registers its sheets)
from . import tracking  # noqa: F401,E402  (after business_case: adds Plan against actual to it)
from .sheets import SHEETS, ReportData, register
from .writer import write_workbook

__all__ = ["SHEETS", "ReportData", "register", "write_workbook"]


def write(report, path) -> None:
    """The workbook format's writer: ``report`` (:class:`..registry.RenderedReport`) to ``path``."""
    scenario = report.scenario
    write_workbook(ReportData(
        model=report.model, params=report.params, result=report.result, title=report.title,
        generated=report.record["generated"], version=report.record["cxmodels_version"],
        notes=scenario.notes if scenario else "", scenario_file=report.record["scenario"],
        overrides=tuple(report.overrides), distributions=report.distributions,
        data_files=tuple(_described(item, report.record["language"]) for item in report.files),
        data_paths={item.kind: Path(item.path) for item in report.files},
        survey_columns=dict(report.columns),
        tables=dict(report.inputs), recorded=report.record["results"],
        language=report.record["language"],
        sources={name: origin["text"] for name, origin in report.record.get("sources", {}).items()},
    ), path)


def _described(item, language: str) -> str:
    """A data file as the workbook names it: its kind in the report's language, the
    path and the checksum (``kyselyaineisto data/q1.csv (sha256 3f2a9c1b04de)``)."""
    return f"{data_kind(item.kind, words_for(language))} {item.path} (sha256 {item.sha256[:12]})"
