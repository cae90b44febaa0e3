"""Scenario files under attack: YAML quirks, bombs and huge files fail alone, in one line.

Issue 15, items 5 and 6. Each quirk here changed the scenario silently or
killed a whole batch before the bounded loader.
"""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxmodels.reporting.scenarios.yaml_text import MAX_BYTES
from cxmodels.reporting.scenarios.scenario import ScenarioError, find_scenario_files, load_scenario

HEAD = "title: Bus\nmodel: touchpoint\n"


def write(tmp_path, text, name="scenario.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one_problem(path) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (line,) = caught.value.problems
    assert "\n" not in line and line.startswith(str(path))
    return line


@pytest.mark.parametrize("key", ["2024", "null", "~", "true", "1.5"])
def test_a_key_that_yaml_reads_as_a_number_bool_or_null_is_a_clear_error(tmp_path, key):
    line = one_problem(write(tmp_path, HEAD + f"{key}: 3\n"))
    assert "line 3" in line and "not a name" in line


@pytest.mark.parametrize("key", ["2024", "null", "false"])
def test_such_a_key_under_parameters_too(tmp_path, key):
    line = one_problem(write(tmp_path, HEAD + f"parameters:\n  {key}: 3\n"))
    assert "line 4" in line and "not a name" in line


@pytest.mark.parametrize("key", ["on", "yes", "off"])
def test_on_and_yes_are_names_so_an_unknown_key(tmp_path, key):
    line = one_problem(write(tmp_path, HEAD + f"{key}: 3\n"))
    assert f"unknown key `{key}`; the keys are: title" in line


def test_a_second_parameters_block_is_an_error_not_a_replacement(tmp_path):
    text = HEAD + "parameters:\n  buyers_per_trip: 2\nparameters:\n  spend_per_buyer: 15\n"
    line = one_problem(write(tmp_path, text))
    assert "line 5: `parameters` is given twice (first on line 3)" in line


def test_a_duplicate_model_is_an_error(tmp_path):
    line = one_problem(write(tmp_path, HEAD + "model: retention\n"))
    assert "`model` is given twice" in line


def test_a_duplicate_parameter_is_an_error(tmp_path):
    line = one_problem(write(tmp_path, HEAD + "parameters:\n  buyers_per_trip: 2\n  buyers_per_trip: 3\n"))
    assert "line 5: `buyers_per_trip` is given twice (first on line 4)" in line


def test_sexagesimal_and_hex_are_not_numbers(tmp_path):
    line = one_problem(write(tmp_path, HEAD + "parameters:\n  buyers_per_trip: 1:30\n"))
    assert "'1:30'" in line  # shown as the text it is, never as 90
    line = one_problem(write(tmp_path, HEAD + "parameters:\n  buyers_per_trip: 0x10\n"))
    assert "'0x10'" in line


def test_numbers_as_people_write_them(tmp_path):
    text = HEAD + "seed: 010\nparameters:\n  spend_per_buyer: 1e1\n  gross_margin: 1e-300\n"
    scenario = load_scenario(write(tmp_path, text))
    assert scenario.seed == 10
    assert scenario.overrides["spend_per_buyer"] == 10.0
    assert scenario.overrides["gross_margin"] == 1e-300


def test_a_date_title_stays_text(tmp_path):
    scenario = load_scenario(write(tmp_path, "title: 2024-01-31\nmodel: touchpoint\n"))
    assert scenario.title == "2024-01-31"


def test_billion_laughs_is_refused_at_once(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    started = time.perf_counter()
    line = one_problem(write(tmp_path, HEAD + "\n".join(lines) + "\n"))
    assert time.perf_counter() - started < 5
    assert "anchors and aliases" in line and "line 3" in line


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    keys = "".join(f"  p{i}: {i}\n" for i in range(200_000))
    line = one_problem(write(tmp_path, HEAD + "parameters:\n" + keys))
    assert f"larger than {MAX_BYTES // 1024} kB" in line


def test_many_keys_within_the_size_bound_are_refused(tmp_path):
    keys = "".join(f"  p{i}: 1\n" for i in range(6_000))
    assert len(keys) < MAX_BYTES
    line = one_problem(write(tmp_path, HEAD + "parameters:\n" + keys))
    assert "more than 5,000 keys and values" in line


def test_deep_nesting_is_refused_without_a_recursion_error(tmp_path):
    line = one_problem(write(tmp_path, HEAD + "notes: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert "nested more than" in line


def test_explicit_tags_are_refused(tmp_path):
    line = one_problem(write(tmp_path, HEAD + "seed: !!int 0x10\n"))
    assert "YAML tag `tag:yaml.org,2002:int`" in line


def test_several_documents_are_one_clear_line(tmp_path):
    one_problem(write(tmp_path, HEAD + "---\n" + HEAD))


def test_upper_case_extension_is_found(tmp_path):
    write(tmp_path, HEAD, "BUS.YAML")
    write(tmp_path, HEAD, "other.Yml")
    assert [p.name for p in find_scenario_files([tmp_path])] == ["BUS.YAML", "other.Yml"]


def test_unknown_key_message_continues_in_lower_case(tmp_path):
    line = one_problem(write(tmp_path, HEAD + "weather: fine\n"))
    assert line.endswith("unknown key `weather`; the keys are: title, model, notes, seed, language, "
                         "data, columns, parameters, sources.")


# Property: whatever a file holds, loading it gives a Scenario or one-line
# ScenarioErrors naming the file -- never another exception.
_scalars = st.one_of(
    st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
    st.text(max_size=12), st.sampled_from(["1:30", "0x10", "1e-300", "on", "~", "&a x", "*a", "!!int 3"]),
)
_keys = st.one_of(st.sampled_from(["title", "model", "seed", "notes", "parameters", "buyers_per_trip",
                                   "2024", "null", "on", "true", "? x", "- a"]), st.text(max_size=8))


def _yaml_value(value) -> str:
    if value is None:
        return "null"
    return str(value)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_keys, st.one_of(_scalars, st.lists(st.tuples(_keys, _scalars), max_size=4))),
                max_size=8))
def test_any_file_loads_or_fails_with_one_line_per_problem_naming_it(tmp_path, entries):
    lines = []
    for key, value in entries:
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  {k}: {_yaml_value(v)}" for k, v in value)
        else:
            lines.append(f"{key}: {_yaml_value(value)}")
    path = write(tmp_path, "\n".join(lines) + "\n")
    try:
        load_scenario(path)
    except ScenarioError as error:
        for line in error.problems:
            assert "\n" not in line and line.startswith(str(path)), line
