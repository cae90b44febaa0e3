"""Build a report's workbook straight from a scenario file, as `cxmodels report` does after its run."""

from __future__ import annotations

from pathlib import Path

from cxmodels import __version__
from cxmodels.reporting.scenarios.scenario import load_scenario
from cxmodels.reporting.outputs.workbook import ReportData, write_workbook

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SCENARIOS = sorted((REPO / "data" / "scenarios").glob("*.yaml"))


def scenario_data(path: Path, *, title: str | None = None, notes: str | None = None,
                  tables: dict | None = None, **overrides) -> ReportData:
    """The ReportData of a scenario file (optionally with other parameters, title, notes, tables)."""
    scenario = load_scenario(path)
    model = scenario.model
    set_values = {**scenario.overrides, **overrides}
    params = model.validate(set_values)
    extra = {"initiatives": tables["initiatives"]} if tables and "initiatives" in tables else {}
    result = (model.compute(**params, uncertainty=scenario.distributions, **extra)
              if model.takes_distributions else model.compute(**params))
    return ReportData(
        model=model, params=params, result=result,
        title=scenario.title if title is None else title,
        generated="2026-01-01 00:00 UTC", version=__version__,
        notes=scenario.notes if notes is None else notes,
        scenario_file=str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path),
        overrides=tuple(set_values), distributions=scenario.distributions, tables=tables or {},
    )


def build(path: Path, out_dir: Path, **kwargs) -> tuple[Path, ReportData]:
    data = scenario_data(path, **kwargs)
    return write_workbook(data, out_dir / f"{path.stem}.xlsx"), data
