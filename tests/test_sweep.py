"""`cxmodels sweep`: a table of scenarios, one a row, computed at once.

The sweep's rows must equal what `cxmodels calc --set` gives for the same
values (a random sample of rows, all outputs); bad tables must fail with
the file, row and column named; the summary page is written in both
languages.
"""

import json

import numpy as np
import pandas as pd
import pytest

from cxmodels.cli import main
from cxmodels.core.spread import explain_spread
from cxmodels.reporting.sweep import run_sweep, write_summary
from cxmodels.reporting.words.language import translate


def touchpoint_table(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "store": [f"store {i:04d}" for i in range(rows)],
        "buyers_per_trip": rng.uniform(1, 10, rows).round(2),
        "spend_per_buyer": rng.uniform(5, 40, rows).round(2),
        "trips_per_day": rng.integers(2, 20, rows),
        "gross_margin": rng.uniform(0.2, 0.5, rows).round(3),
        "horizon_months": rng.integers(6, 60, rows),
    })


def service_table(rows: int, seed: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    phone = rng.uniform(0.3, 0.6, rows).round(3)
    chat = rng.uniform(0.1, 0.3, rows).round(3)
    return pd.DataFrame({
        "centre": [f"C{i}" for i in range(rows)],
        "matters_per_month": rng.integers(1_000, 50_000, rows),
        "phone_share": phone,
        "chat_share": chat,
        "email_share": (1 - phone - chat).round(3) / 2,
        "self_service_share": 1 - phone - chat - (1 - phone - chat).round(3) / 2,
        "phone_cost_per_contact": rng.uniform(4, 9, rows).round(2),
        "phone_fcr": rng.uniform(0.5, 0.9, rows).round(2),
        "mix_shift_to_self_service": rng.uniform(0, 0.3, rows).round(2),
    })


def calc_json(capsys, model: str, row: pd.Series) -> dict:
    settings = [arg for name, value in row.items() for arg in ("--set", f"{name}={value!r}")]
    assert main(["calc", model, *settings, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("model, table", [("touchpoint", touchpoint_table(400)),
                                          ("service", service_table(300))])
def test_each_row_equals_calc_with_set_for_a_random_sample_of_rows(tmp_path, capsys, model, table):
    path = tmp_path / "table.csv"
    table.to_csv(path, index=False)
    assert main(["sweep", model, "--table", str(path), "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    results = pd.read_csv(tmp_path / "out" / "results.csv")
    assert len(results) == len(table)
    assert results["table_row"].tolist() == list(range(2, len(table) + 2))
    parameters = [c for c in table.columns if c not in ("store", "centre")]
    for index in np.random.default_rng(0).choice(len(table), size=6, replace=False):
        expected = calc_json(capsys, model, table.loc[index, parameters])
        got = results.loc[index]
        assert got.iloc[1] == table.iloc[index, 0]  # the id column kept as text
        for name, value in expected.items():
            if value is None:
                assert np.isnan(got[name]), (index, name)
            else:
                assert got[name] == pytest.approx(value, rel=1e-12, abs=1e-9), (index, name)


def test_parquet_and_xlsx_tables_give_the_same_results_as_csv(tmp_path):
    table = touchpoint_table(50)
    table.to_csv(tmp_path / "t.csv", index=False)
    table.to_parquet(tmp_path / "t.parquet")
    table.to_excel(tmp_path / "t.xlsx", index=False)
    frames = []
    for suffix in ("csv", "parquet", "xlsx"):
        run_sweep("touchpoint", tmp_path / f"t.{suffix}", tmp_path / suffix)
        frames.append(pd.read_parquet(tmp_path / suffix / "results.parquet"))
    outputs = frames[0].columns[frames[0].columns.get_loc("horizon_months") + 1:]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame[outputs], frames[0][outputs])
    assert frames[1]["table_row"].tolist() == list(range(1, 51))  # Parquet counts records


def test_blocks_do_not_change_the_results_or_the_summary(tmp_path):
    table = touchpoint_table(1_000)
    table.to_csv(tmp_path / "t.csv", index=False)
    whole = run_sweep("touchpoint", tmp_path / "t.csv", tmp_path / "whole")
    small = run_sweep("touchpoint", tmp_path / "t.csv", tmp_path / "blocks", chunk_rows=97)
    assert ((tmp_path / "whole" / "results.csv").read_bytes()
            == (tmp_path / "blocks" / "results.csv").read_bytes())
    pd.testing.assert_frame_equal(whole.kept.top, small.kept.top)
    pd.testing.assert_frame_equal(whole.kept.bottom, small.kept.bottom)
    ranked = whole.kept.rank_by
    assert ranked == "revenue_per_year"  # touchpoint's first key output
    assert whole.kept.top[ranked].iloc[0] == pd.read_csv(tmp_path / "whole" / "results.csv")[ranked].max()


def test_a_sample_keeps_the_same_rows_whatever_the_blocks(tmp_path):
    from cxmodels.reporting.sweep.kept import Kept

    table = touchpoint_table(500)
    table.to_csv(tmp_path / "t.csv", index=False)
    run = run_sweep("touchpoint", tmp_path / "t.csv", tmp_path / "a")
    results = pd.read_csv(tmp_path / "a" / "results.csv")
    kept = [Kept("npv", seed=3, sample_rows=100) for _ in range(2)]
    for block_rows, one in zip((500, 33), kept):
        for start in range(0, len(results), block_rows):
            one.add(results.iloc[start: start + block_rows], run.table.parameters, ["store"])
    assert kept[0].sampled and len(kept[0].sample) == 100
    assert kept[0].sample["table_row"].tolist() == kept[1].sample["table_row"].tolist()
    assert kept[0].mean("npv") == pytest.approx(results["npv"].mean(), rel=1e-12)


def test_a_model_that_takes_one_horizon_is_computed_row_by_row_and_says_so(tmp_path, capsys):
    table = pd.DataFrame({"case": ["a", "b", "c"], "horizon_months": [24, 36, 48], "draws": [0, 0, 0]})
    table.to_csv(tmp_path / "t.csv", index=False)
    run = run_sweep("business_case", tmp_path / "t.csv", tmp_path / "out")
    assert "horizon_months" in run.row_by_row
    results = pd.read_csv(tmp_path / "out" / "results.csv")
    for index in range(3):
        expected = calc_json(capsys, "business_case", table.loc[index, ["horizon_months", "draws"]])
        assert results.loc[index, "npv"] == pytest.approx(expected["npv"], rel=1e-12)


# --- Bad tables -----------------------------------------------------------------


def sweep_error(tmp_path, capsys, text: str, name: str = "t.csv", *extra: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["sweep", "touchpoint", "--table", str(path), "-o", str(tmp_path / "out"), *extra]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "results.csv").exists()
    assert not any((tmp_path / "out").glob("*.partial")) if (tmp_path / "out").exists() else True
    return err


def test_a_share_given_in_percent_names_file_row_column_range_and_fix(tmp_path, capsys):
    err = sweep_error(tmp_path, capsys, "store,gross_margin\nA,0.3\nB,30\n")
    assert "t.csv, row 3, column gross_margin: 30 is outside the allowed range 0 to 1" in err
    assert "did you mean 0.30" in err


def test_text_blank_and_misspelt_columns_are_refused_with_their_place(tmp_path, capsys):
    err = sweep_error(tmp_path, capsys, "store,spend_per_buyer\nA,20\nB,\nC,twenty\nD,1 000\n")
    assert "row 3, column spend_per_buyer: is blank" in err
    assert "row 4, column spend_per_buyer: 'twenty' is text where a number belongs" in err
    assert "row 5, column spend_per_buyer" in err
    err = sweep_error(tmp_path, capsys, "store,buyers_per_trp\nA,5\n")
    assert "column `buyers_per_trp` is not a parameter of touchpoint; did you mean `buyers_per_trip`" in err


def test_a_broken_rule_names_the_row_and_the_values(tmp_path, capsys):
    err = sweep_error(tmp_path, capsys, "buyers_per_trip,passengers_per_trip\n5,40\n50,40\n")
    assert "t.csv, row 3: buyers_per_trip (50) cannot exceed passengers_per_trip (40)" in err


def test_a_whole_number_and_a_semicolon_export_with_decimal_commas(tmp_path, capsys):
    err = sweep_error(tmp_path, capsys, "horizon_months\n36\n12.5\n")
    assert "row 3, column horizon_months: 12.5 must be a whole number of months" in err
    (tmp_path / "fi.csv").write_text("kauppa;spend_per_buyer\nA;20,5\nB;1.234,5\n", encoding="utf-8")
    run_sweep("touchpoint", tmp_path / "fi.csv", tmp_path / "fi")
    assert pd.read_csv(tmp_path / "fi" / "results.csv")["spend_per_buyer"].tolist() == [20.5, 1234.5]


def test_missing_file_no_parameter_column_and_no_rows(tmp_path, capsys):
    assert main(["sweep", "touchpoint", "--table", str(tmp_path / "nope.csv"), "-o", str(tmp_path)]) == 2
    assert "nope.csv: file not found" in capsys.readouterr().err
    assert "no column is a parameter of touchpoint" in sweep_error(tmp_path, capsys, "store,city\nA,B\n")
    assert "has a header but no data rows" in sweep_error(tmp_path, capsys, "store,gross_margin\n")


def test_an_xlsx_row_is_named_as_the_sheet_shows_it(tmp_path, capsys):
    pd.DataFrame({"store": ["A", "B", "C"], "gross_margin": [0.3, 0.2, -0.1]}).to_excel(
        tmp_path / "t.xlsx", index=False)
    assert main(["sweep", "touchpoint", "--table", str(tmp_path / "t.xlsx"), "-o", str(tmp_path / "o")]) == 2
    assert "t.xlsx, row 4, column gross_margin: -0.1 is outside the allowed range" in capsys.readouterr().err


# --- The summary ------------------------------------------------------------------


def test_the_summary_in_english_and_finnish(tmp_path):
    table = touchpoint_table(200)
    table.to_csv(tmp_path / "t.csv", index=False)
    run = run_sweep("touchpoint", tmp_path / "t.csv", tmp_path / "out")
    english = write_summary(run, tmp_path / "out", "en").read_text(encoding="utf-8")
    finnish = write_summary(run, tmp_path / "out", "fi").read_text(encoding="utf-8")
    headings = ("What explains the spread", "Distribution of the results", "Where the values came from")
    for heading in headings:
        assert heading in english
        assert translate(heading, "fi") != heading, f"no Finnish for {heading!r}"
        assert translate(heading, "fi") in finnish and heading not in finnish
    assert "store 0000" in english and "data:image/png;base64," in english
    assert "<html lang='fi'>" in finnish


def test_the_spread_is_explained_by_the_parameter_that_drives_it():
    rng = np.random.default_rng(1)
    first, second, steady = rng.uniform(size=5_000), rng.uniform(size=5_000), np.full(5_000, 3.0)
    alone = explain_spread("y", np.exp(first), {"first": first, "second": second, "steady": steady})
    assert [d.name for d in alone.drivers] == ["first", "second"]  # steady does not vary
    assert alone.drivers[0].rank_correlation == pytest.approx(1.0)
    assert alone.drivers[0].share > 0.999 and alone.rank_r_squared > 0.999
    both = explain_spread("y", first + second, {"first": first, "second": second})
    assert [d.share for d in both.drivers] == pytest.approx([0.5, 0.5], abs=0.03)
    assert explain_spread("y", steady, {"first": first}).drivers == ()


def test_a_column_close_to_a_parameter_is_kept_as_an_identifier_when_named_with_id(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("buyers_per_trp,buyers_per_trip\nx1,4\nx2,6\n", encoding="utf-8")
    assert main(["sweep", "touchpoint", "--table", str(tmp_path / "t.csv"), "-o", str(tmp_path / "kept"),
                 "--id", "buyers_per_trp"]) == 0
    results = pd.read_csv(tmp_path / "kept" / "results.csv")
    assert results["buyers_per_trp"].tolist() == ["x1", "x2"]
    assert results["revenue_per_trip"].tolist() == [4 * 20, 6 * 20]  # [bus] spend 20 EUR a buyer
    err = sweep_error(tmp_path, capsys, "store,gross_margin\nA,0.3\n", "t.csv", "--id", "shop")
    assert "--id shop: no such column" in err
