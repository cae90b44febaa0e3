"""The documentation site builds without a warning, the tutorial runs in it,
README stays one screen, and `make report` says what it left out."""

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

from cxmodels.registry import MODELS
from cxmodels.reporting.outputs.pdf import find_browser

#: Pages the hooks in docs/hooks/ write on every build (not in git).
GENERATED = {"reference/cli.md", "reference/scenario-files.md"}


@pytest.fixture(scope="module")
def site(repo, tmp_path_factory):
    """``mkdocs build --strict`` into a temporary folder: the site and the tutorial's files."""
    folder = tmp_path_factory.mktemp("docs")
    environment = {**os.environ, "CXMODELS_TUTORIAL_OUTPUT": str(folder / "tutorial"),
                   "NO_MKDOCS_2_WARNING": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(repo / "mkdocs.yml"), "--site-dir", str(folder / "site")],
        cwd=repo, env=environment, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    return folder


def page_text(site, page: str) -> str:
    """The visible text of a built page."""
    html = (site / "site" / page / "index.html").read_text(encoding="utf-8")
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


def test_the_tutorial_runs_and_leaves_a_finnish_board_pack(site):
    pack = site / "tutorial" / "tutorial" / "work" / "board-pack"
    stem = "cx-ohjelma-varovainen-arvio"
    assert (pack / f"{stem}.xlsx").stat().st_size > 0
    assert (pack / f"{stem}.html").stat().st_size > 0
    assert (pack / f"{stem}.pdf").is_file() == bool(find_browser())
    record = json.loads((pack / f"{stem}.json").read_text(encoding="utf-8"))
    assert "nettonykyarvo" in record["headline"]


def test_the_tutorial_page_shows_the_executed_outputs(site):
    text = page_text(site, "tutorial/an-analysts-day")
    assert "$ cxmodels calibrate transactions" in text  # a printed output, not only the code
    assert "your data: sample_transactions.csv" in text
    assert "nettonykyarvo" in text  # the Finnish headline of the saved scenario
    assert "Traceback" not in text


def test_the_cli_reference_is_the_parsers_help(site):
    from cxmodels.cli import _parser

    text = page_text(site, "reference/cli")
    commands = next(a for a in _parser()._actions if a.dest == "command").choices
    for command in commands:
        assert f"cxmodels {command}" in text
    assert "cxmodels calibrate crm" in text and "--observed-until" in text


def test_the_scenario_reference_lists_every_parameter_of_every_model(site):
    text = page_text(site, "reference/scenario-files")
    for model in MODELS.values():
        for param in model.params:
            assert f"{param.name} {param.unit}" in text, (model.name, param.name)


def test_every_page_has_a_way_in_from_the_navigation(repo):
    config = yaml.load((repo / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)

    def pages(entries):
        for entry in entries:
            for value in (entry.values() if isinstance(entry, dict) else [entry]):
                yield from pages(value) if isinstance(value, list) else [value]

    in_nav = set(pages(config["nav"]))
    docs = repo / "docs"
    on_disk = {path.relative_to(docs).as_posix() for path in docs.rglob("*")
               if path.suffix in (".md", ".ipynb") and "hooks" not in path.parts
               and ".ipynb_checkpoints" not in path.parts}
    assert on_disk | GENERATED == in_nav


def test_the_docs_extra_is_in_the_dev_extra(repo):
    extras = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert extras["docs"] and set(extras["docs"]) <= set(extras["dev"])


def test_readme_is_one_screen_and_opens_with_the_two_commands(repo):
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert len(readme) <= 12_000
    first_block = readme.split("```")[1]
    assert first_block.splitlines()[1].startswith("make report")
    assert first_block.splitlines()[2].startswith("make test")


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
@pytest.mark.parametrize("browser", ["", "/usr/bin/chromium"])
def test_make_report_says_when_it_left_the_pdfs_out(repo, tmp_path, browser):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "cxmodels").write_text('#!/bin/sh\necho "cxmodels $*"\n')
    (fake / "cxmodels").chmod(0o755)
    # -o: the environment counts as installed; BIN: a cxmodels that only says what it was asked
    done = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "report",
                           f"BIN={fake}", f"BROWSER={browser}"],
                          cwd=repo, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    if browser:
        assert lines[-1].endswith("--pdf") and "no PDFs" not in done.stdout
    else:
        assert "--pdf" not in lines[-2]
        assert lines[-1].startswith("make report: no PDFs")
        assert "apt-get install chromium" in lines[-1]
