"""Output formats come from one registry (cxmodels.reporting.outputs): a
format added there alone is written by `report` and `batch`, gets its
command-line option, and makes a report without it out of date."""

import json
from pathlib import Path

import pytest

from cxmodels.cli import main
from cxmodels.core.errors import CxError
from cxmodels.reporting.batch import run_batch
from cxmodels.reporting.outputs import FORMATS, chosen, register, unregister

REPO = Path(__file__).resolve().parent.parent


def write_markdown_summary(report, path: Path) -> None:
    """A throwaway format: the headline and the results as a Markdown page."""
    lines = [f"# {report.title}", "", report.record["headline"], ""]
    lines += [f"- {name}: {value}" for name, value in report.record["results"].items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def markdown_format():
    register(".md", write_markdown_summary, name="markdown", default=False, order=60,
             help="also write <name>.md, the headline as Markdown")
    yield FORMATS[".md"]
    unregister(".md")


def test_the_default_formats_are_the_page_notebook_workbook_and_record():
    assert chosen() == (".html", ".ipynb", ".xlsx", ".json")
    assert chosen(add=["pdf"], drop=["workbook"]) == (".html", ".ipynb", ".pdf", ".json")


def test_a_misspelt_or_required_format_is_a_one_line_error():
    with pytest.raises(CxError, match="'pfd' is not an output format; did you mean `pdf`"):
        chosen(add=["pfd"])
    with pytest.raises(CxError, match="cannot be left out"):
        chosen(drop=["html"])


def test_a_format_registered_alone_is_written_by_report_and_batch(markdown_format, tmp_path, capsys):
    assert main(["report", "touchpoint", "-o", str(tmp_path / "one"), "--markdown",
                 "--no-workbook"]) == 0
    page = (tmp_path / "one" / "01_touchpoint_upsell.md").read_text(encoding="utf-8")
    record = json.loads((tmp_path / "one" / "01_touchpoint_upsell.json").read_text())
    assert record["headline"] in page
    assert f"- revenue_per_year: {record['results']['revenue_per_year']}" in page
    assert not (tmp_path / "one" / "01_touchpoint_upsell.xlsx").exists()
    assert not list((tmp_path / "one").glob(".*partial*"))

    scenario = REPO / "data" / "scenarios" / "bus-story.yaml"
    (outcome,) = run_batch([scenario], tmp_path / "many", formats=chosen(add=["markdown"]))
    assert outcome.status == "done"
    assert (tmp_path / "many" / "bus-story.md").read_text().startswith("# ")
    # Up to date with the format; asked for again without its file, rendered again.
    assert run_batch([scenario], tmp_path / "many", formats=chosen(add=["markdown"]))[0].status == "skipped"
    (tmp_path / "many" / "bus-story.md").unlink()
    assert run_batch([scenario], tmp_path / "many", formats=chosen(add=["markdown"]))[0].status == "done"
    # Not chosen any more: the earlier file is removed, as it would no longer match.
    run_batch([scenario], tmp_path / "many", force=True)
    assert not (tmp_path / "many" / "bus-story.md").exists()


def test_a_failing_writer_leaves_no_partial_file_and_no_record(markdown_format, tmp_path):
    def broken(report, path):
        path.write_text("half")
        raise CxError("the markdown writer failed")

    register(".md", broken, name="markdown", default=True, order=60)
    scenario = REPO / "data" / "scenarios" / "bus-story.yaml"
    (outcome,) = run_batch([scenario], tmp_path)
    assert outcome.status == "failed" and "markdown writer failed" in outcome.message
    assert not (tmp_path / "bus-story.json").exists()
    assert not list(tmp_path.glob(".*partial*"))
