"""pyproject.toml and environment.yml name the same packages."""

import re
import tomllib

import yaml


def requirements(repo) -> list[str]:
    project = tomllib.loads((repo / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + project["optional-dependencies"]["dev"]


def conda_lists(repo) -> tuple[list[str], list[str]]:
    """The conda packages and the pip lines of environment.yml."""
    entries = yaml.safe_load((repo / "environment.yml").read_text())["dependencies"]
    conda = [e for e in entries if isinstance(e, str)]
    pip = next(e["pip"] for e in entries if isinstance(e, dict))
    return conda, pip


def name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject(repo):
    conda, pip = conda_lists(repo)
    assert {name(c) for c in conda} - {"python", "pip"} == {name(r) for r in requirements(repo)}
    assert "-e ." in pip


def test_environment_yml_asks_for_the_same_versions(repo):
    conda, _ = conda_lists(repo)
    assert set(requirements(repo)) <= set(conda)
