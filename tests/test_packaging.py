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


def lock(repo) -> dict[str, str]:
    """requirements/lock.txt as name -> pinned version."""
    pins = {}
    for line in (repo / "requirements" / "lock.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            package, _, version = line.partition("==")
            assert version and name(package) not in pins, f"lock.txt: {line!r} is not one pin"
            pins[name(package)] = version.strip()
    return pins


def test_the_lock_pins_every_requirement_within_its_range(repo):
    from packaging.requirements import Requirement

    pins = lock(repo)
    outside = {}
    for requirement in map(Requirement, requirements(repo)):
        pinned = pins.get(name(requirement.name))
        if pinned is None or not requirement.specifier.contains(pinned, prereleases=True):
            outside[str(requirement)] = pinned
    assert outside == {}, "run `make lock` after changing pyproject.toml"


def test_make_installs_from_the_lock(repo):
    makefile = (repo / "Makefile").read_text()
    assert "LOCK := requirements/lock.txt" in makefile
    assert "pip install --quiet -c $(LOCK) -e '.[dev]'" in makefile
    assert "$(STAMP): pyproject.toml $(LOCK)" in makefile
