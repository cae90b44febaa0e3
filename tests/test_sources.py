"""The sources document: every source a spec names has its section (issue 15)."""

import re

from cxmodels.core.sources import SOURCES, SOURCES_DOCUMENT, describe_source
from cxmodels.models import metrics
from cxmodels.registry import MODELS


def sections(repo) -> dict[str, str]:
    text = (repo / SOURCES_DOCUMENT).read_text(encoding="utf-8")
    parts = re.split(r"^## \[([a-z0-9]+)\]\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def used_keys() -> set[str]:
    specs = [p for model in MODELS.values() for p in model.params]
    specs += [metrics.NPS_SCORE, metrics.FCR_ANSWER]
    return {p.source for p in specs}


def test_every_source_a_spec_names_has_its_section(repo):
    missing = used_keys() - set(sections(repo))
    assert not missing, f"no section in {SOURCES_DOCUMENT} for {sorted(missing)}"


def test_every_key_of_the_sources_table_has_its_section_and_no_more(repo):
    assert set(sections(repo)) == set(SOURCES)


def test_a_study_section_gives_the_full_reference(repo):
    schmitt = sections(repo)["schmitt2011"]
    assert "Journal of Marketing" in schmitt and "75(1), 46-59" in schmitt and "doi:" in schmitt
    assert "16 %" in schmitt


def test_the_restated_promoter_figure_says_how_it_differs(repo):
    trustmary = sections(repo)["trustmary"]
    assert "+25 % lifetime value" in trustmary and "referred" in trustmary and "16 %" in trustmary


def test_reports_name_the_document_and_section():
    assert describe_source("bus").endswith("(docs/sources.md, section [bus])")
