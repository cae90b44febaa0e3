"""`cxmodels calibrate crm`: a CRM export joined to NPS answers, measured for the promoter model.

Recovery: data drawn by the sample company's own generator
(data/make_sample_company.py, ``TRUE_CRM``) with several fixed seeds; an
honest 95 % interval holds the truth in about 95 % of replications, and the
test asks for at least 8 of 10 per estimate (a 99 % event when the
intervals are right; deterministic here because the seeds are fixed).
The hazard ratio, the passives' churn and the delta-method interval are
each checked against a computation of their own in the test.
"""

import importlib.util
import json
import math
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
from scipy import optimize

from cxmodels.calibration import crm, promoter_inputs, published, segments
from cxmodels.calibration.fitting import FitError
from cxmodels.cli import main
from cxmodels.core.errors import DataFileError
from cxmodels.reporting.scenarios.scenario import load_scenario

SEEDS = range(10)
HEADER = "customer_id,nps_answer,start_date,end_date,revenue,orders,referrals\n"


@pytest.fixture(scope="module")
def company(repo):
    spec = importlib.util.spec_from_file_location("make_sample_company",
                                                  repo / "data" / "make_sample_company.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample(repo, company):
    export = crm.read_crm(repo / "data" / "sample_crm.csv", observed_until=company.CRM_OBSERVED_UNTIL)
    return promoter_inputs.from_segments(segments.compare_segments(export))


def write(tmp_path, text, name="crm.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_true_ratios_fall_inside_the_reported_intervals(company, tmp_path):
    truth = dict(company.TRUE_CRM)
    for prefix in ("promoter", "detractor"):
        truth[f"{prefix}_churn_ratio"] = promoter_inputs.churn_ratio(
            truth[f"{prefix}_hazard_ratio"], truth["passive_annual_churn"])
    names = [name for name in truth if name in promoter_inputs.PARAMETERS
             or name.endswith("hazard_ratio")]
    inside = dict.fromkeys(names, 0)
    for seed in SEEDS:
        path = tmp_path / f"crm{seed}.csv"
        company.crm_export(np.random.default_rng(seed), 1_500).to_csv(path, index=False)
        export = crm.read_crm(path, observed_until=company.CRM_OBSERVED_UNTIL)
        estimates = promoter_inputs.promoter_estimates(segments.compare_segments(export))
        for name in names:
            inside[name] += estimates[name].low <= truth[name] <= estimates[name].high
    assert len(names) == 16
    assert {name: count for name, count in inside.items() if count < 8} == {}


def test_the_sample_company_gives_its_known_figures(sample, company):
    truth = company.TRUE_CRM
    assert sample.values["promoter_share"] == pytest.approx(truth["promoter_share"], abs=0.03)
    assert sample.values["passive_annual_churn"] == pytest.approx(0.20, abs=0.02)
    assert sample.estimates["promoter_hazard_ratio"].value == pytest.approx(0.7, abs=0.08)
    assert sample.values["promoter_order_value_ratio"] == pytest.approx(1.15, abs=0.03)
    # 20 % churn a year and hazard ratio 0.7: the model's churn ratio is (1 - 0.8**0.7) / 0.2
    assert promoter_inputs.churn_ratio(0.7, 0.2) == pytest.approx((1 - 0.8**0.7) / 0.2)
    assert promoter_inputs.churn_ratio(0.7, 0.2) == pytest.approx(0.723, abs=0.001)


def cox_partial_likelihood_hazard_ratios(years, left, segment):
    """Breslow partial likelihood, maximised here with scipy (no ties in the data)."""
    x = np.column_stack([segment == 0, segment == 2]).astype(float)

    def negative(beta):
        risk = x @ beta
        at_risk = years[None, :] >= years[left][:, None]
        return -float(np.sum(risk[left] - np.log((np.exp(risk)[None, :] * at_risk).sum(axis=1))))

    return np.exp(optimize.minimize(negative, np.zeros(2), method="BFGS", options={"gtol": 1e-10}).x)


def test_the_hazard_ratio_matches_the_partial_likelihood_computed_by_hand(tmp_path):
    rng = np.random.default_rng(5)
    n = 90
    segment = np.repeat([0, 1, 2], n // 3)
    days = rng.permutation(np.arange(30, 30 + 7 * n, 7))[:n]  # distinct: no ties
    left = rng.uniform(size=n) < np.array([0.4, 0.6, 0.8])[segment]
    start = np.datetime64("2022-01-01")
    end = start + days.astype("timedelta64[D]")
    until = start + np.timedelta64(int(days.max()) + 1, "D")
    nps = np.array([10, 7, 3])[segment]
    text = HEADER + "".join(
        f"K{i},{nps[i]},{start},{end[i] if left[i] else ''},100,2,0\n" for i in range(n))
    export = crm.read_crm(write(tmp_path, text), observed_until=until.astype(object))
    hazard = segments.hazard_ratios(export, segments.segment_of(export.answered["nps"].to_numpy()))
    years = np.where(left, days, int(days.max()) + 1) / 365.25
    expected = cox_partial_likelihood_hazard_ratios(years, left, segment)
    assert hazard["promoter_hazard_ratio"].value == pytest.approx(expected[0], rel=1e-4)
    assert hazard["detractor_hazard_ratio"].value == pytest.approx(expected[1], rel=1e-4)


def test_equal_exposure_hazard_ratio_is_the_ratio_of_leavers_per_customer_year(tmp_path):
    """Constant hazards and everybody watched over the same two years: the hazard
    ratio is close to the exponential MLE's (leavers / customer-years) ratio,
    computed here, and the passives' churn is exactly 1 - exp(-leavers / years)."""
    rng = np.random.default_rng(11)
    n = 600
    segment = np.repeat([0, 1, 2], n)
    lifetime = np.ceil(rng.exponential(365.25 / (0.3 * np.array([0.7, 1.0, 1.6])[segment])))
    left = lifetime <= 730
    nps = np.array([10, 8, 2])[segment]
    end = np.datetime64("2022-01-01") + lifetime.astype("timedelta64[D]")
    text = HEADER + "".join(f"K{i},{nps[i]},2022-01-01,{end[i] if left[i] else ''},1,1,0\n"
                            for i in range(segment.size))
    export = crm.read_crm(write(tmp_path, text), observed_until=date(2024, 1, 1))
    found = segments.compare_segments(export)
    years = np.where(left, lifetime, 730) / 365.25
    rate = np.array([left[segment == s].sum() / years[segment == s].sum() for s in range(3)])
    assert found["passive_annual_churn"].value == pytest.approx(-math.expm1(-rate[1]))
    assert found["promoter_hazard_ratio"].value == pytest.approx(rate[0] / rate[1], rel=0.05)
    assert found["detractor_hazard_ratio"].value == pytest.approx(rate[2] / rate[1], rel=0.05)
    assert found["promoter_share"].value == pytest.approx(1 / 3)
    # nobody referred anyone: no ratio to a zero, and the defaults stay
    assert "promoter_referral_ratio" not in found.estimates
    assert "the passives' referrals is 0" in found.notes[0]
    assert "promoter_referral_ratio" not in promoter_inputs.from_segments(found).values


def test_the_delta_method_interval_agrees_with_a_bootstrap(repo, company):
    export = crm.read_crm(repo / "data" / "sample_crm.csv", observed_until=company.CRM_OBSERVED_UNTIL)
    answered = export.answered
    segment = segments.segment_of(answered["nps"].to_numpy())
    promoters, passives = answered[segment == 0], answered[segment == 1]
    rng = np.random.default_rng(1)

    def log_value_ratio(a, b):
        return math.log(a["revenue"].sum() / a["orders"].sum()) - math.log(
            b["revenue"].sum() / b["orders"].sum())

    draws = [log_value_ratio(promoters.iloc[rng.integers(0, len(promoters), len(promoters))],
                             passives.iloc[rng.integers(0, len(passives), len(passives))])
             for _ in range(300)]
    found = segments.compare_segments(export)["promoter_order_value_ratio"]
    assert found.se_log == pytest.approx(np.std(draws, ddof=1), rel=0.2)
    assert found.value == pytest.approx(math.exp(log_value_ratio(promoters, passives)))


def test_the_comparison_names_the_published_figures_and_where_they_differ(sample):
    table = published.comparison_table(sample)
    assert list(table.columns) == ["measure", "measured", "low", "high", "published",
                                   "published_low", "published_high", "source", "verdict"]
    assert set(table["source"]) == {"trustmary", "schmitt2011", "bain"}
    churn = table[(table["source"] == "trustmary")
                  & (table["measure"] == "Promoters' churn / passives'")].iloc[0]
    assert churn["published_low"] == 0.82
    inside = churn["low"] <= 0.82 <= churn["high"]
    assert churn["verdict"] == ("inside" if inside else
                                "outside: measured lower" if churn["high"] < 0.82 else
                                "outside: measured higher")
    # the sample company's promoters order 15 % more, not 20 %: outside, and said so
    value = table[table["measure"] == "Promoters' order value / passives'"].iloc[0]
    assert value["high"] < 1.20 and value["verdict"] == "outside: measured lower"
    text = published.comparison_markdown(table)
    assert "| Promoters' order value / passives' |" in text
    assert "lower than [trustmary]'s 'orders 20 % larger'" in text


def test_crm_gives_a_promoter_scenario_that_loads_and_calculates(repo, tmp_path, capsys):
    target, comparison = tmp_path / "promoters.yaml", tmp_path / "comparison.md"
    code = main(["calibrate", "crm", str(repo / "data" / "sample_crm.csv"), "-o", str(target),
                 "--observed-until", "2025-12-31", "--comparison", str(comparison)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Measured against the published figures:" in out and "[bain]" in out
    scenario = load_scenario(target)
    assert scenario.model.name == "promoters"
    assert set(scenario.overrides) == {*promoter_inputs.PARAMETERS, "customers"}
    assert "sample_crm.csv (3,000 customers, 2,258 with an NPS answer" in scenario.notes
    assert "Cox proportional-hazards" in scenario.notes and "2025-12-31" in scenario.notes
    assert comparison.read_text().startswith("| Measure |")
    settings = [arg for name, value in scenario.overrides.items()
                for arg in ("--set", f"{name}={float(value)!r}")]
    run = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "promoters", *settings,
                          "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)


def test_the_business_case_gets_the_sampling_distributions(repo, tmp_path, capsys):
    target = tmp_path / "case.yaml"
    assert main(["calibrate", "crm", str(repo / "data" / "sample_crm.csv"), "-o", str(target),
                 "--model", "business_case"]) == 0
    scenario = load_scenario(target)
    assert scenario.model.name == "business_case"
    kinds = {name: d.kind for name, d in scenario.distributions.items()}
    assert kinds["promoter_share"] == "beta" and kinds["promoter_churn_ratio"] == "lognormal"
    assert scenario.overrides["starting_customers"] > 0
    # the business case's Monte Carlo runs with these distributions and spreads its NPV
    case = scenario.model.compute(**{**scenario.parameters, "draws": 2_000},
                                  uncertainty=scenario.distributions)
    assert case.npv_p10 < case.npv_p50 < case.npv_p90


@pytest.mark.parametrize(("row", "expected"), [
    ("K9,11,2024-01-01,,10,1,0", r"row 3, column nps: 11 is outside the allowed range 0 to 10"),
    ("K9,8,2024-05-01,2024-03-01,10,1,0",
     r"row 3, column end: 2024-03-01 is before the start date 2024-05-01"),
    ("K9,8,2099-01-01,,10,1,0", r"row 3, column start: 2099-01-01 is in the future"),
    ("K9,8,2024-01-01,,-10,1,0", r"row 3, column revenue: .*-10.*net refunds off"),
    ("K1,8,2024-01-01,,10,1,0", r"rows 2, 3, column customer: the id 'K1' appears 2 times"),
    ("K9,9,,,10,1,0", r"row 3, column start: is blank, but the customer has an NPS answer \(9\)"),
    ("K9,8,1.2.2024,31.13.2024,10,1,0", r"row 3, column end: '31.13.2024' is not a date"),
])
def test_bad_rows_are_named_with_the_fix(tmp_path, row, expected):
    path = write(tmp_path, HEADER + "K1,9,2024-01-01,,100,2,1\n" + row + "\n")
    with pytest.raises(DataFileError, match=expected) as error:
        crm.read_crm(path, today=date(2025, 6, 1))
    assert str(path) in str(error.value)


def test_a_missing_column_says_how_to_map_it(tmp_path):
    path = write(tmp_path, "Client,Q7,Since,Until,Sales,Orders\nA,9,2024-01-01,,10,1\n")
    with pytest.raises(DataFileError, match=r"no column for customer, nps, start, end.*--column"):
        crm.read_crm(path)
    export = crm.read_crm(path, columns={"customer": "Client", "nps": "Q7", "start": "Since",
                                         "end": "Until", "revenue": "Sales"})
    assert export.customers["nps"].tolist() == [9.0] and not export.has_referrals


def test_an_excel_export_reads_like_its_csv(tmp_path):
    import pandas as pd

    path = tmp_path / "crm.xlsx"
    pd.DataFrame({"Client": ["A", "B"], "NPS": [9, 11], "start_date": ["2024-01-01", "2024-02-01"],
                  "end_date": ["", ""], "revenue": [10, 20], "orders": [1, 2]}).to_excel(
        path, index=False)
    with pytest.raises(DataFileError, match=r"crm.xlsx, row 3, column nps: 11 is outside"):
        crm.read_crm(path, columns={"customer": "Client", "nps": "NPS"})


def test_too_few_in_a_segment_is_one_clear_line_and_nothing_written(tmp_path, capsys):
    rows = "".join(f"K{i},{9 if i % 10 else 3},2023-0{1 + i % 9}-01,"
                   f"{'2024-06-01' if i % 3 == 0 else ''},100,2,0\n" for i in range(200))
    path = write(tmp_path, HEADER + rows)
    target = tmp_path / "s.yaml"
    code = main(["calibrate", "crm", str(path), "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "only 0 passives (NPS 7-8)" in err and str(path) in err
    assert not target.exists() and list(tmp_path.glob(".*partial")) == []
    with pytest.raises(FitError):
        segments.compare_segments(crm.read_crm(path))


def test_a_bad_row_on_the_command_line_writes_nothing(repo, tmp_path, capsys):
    text = (repo / "data" / "sample_crm.csv").read_text() + "K99999,12,2024-01-01,,10,1,0\n"
    path = write(tmp_path, text)
    target, comparison = tmp_path / "s.yaml", tmp_path / "c.md"
    code = main(["calibrate", "crm", str(path), "-o", str(target), "--comparison", str(comparison)])
    err = capsys.readouterr().err
    assert code == 2 and "row 3002, column nps: 12 is outside" in err and "Traceback" not in err
    assert not target.exists() and not comparison.exists()


def split_sample(repo, tmp_path):
    """The sample CRM as two files: the CRM without answers, and a survey export
    (one answer per answered customer, plus an earlier answer that must not count)."""
    import pandas as pd

    frame = pd.read_csv(repo / "data" / "sample_crm.csv", dtype=str, keep_default_na=False)
    answered = frame[frame["nps_answer"] != ""]
    survey = pd.DataFrame({"response_date": "2025-11-01", "CustID": answered["customer_id"],
                           "nps_score": answered["nps_answer"]})
    first = answered.iloc[0]
    earlier = pd.DataFrame({"response_date": ["2024-01-01"], "CustID": [first["customer_id"]],
                            "nps_score": ["0" if first["nps_answer"] != "0" else "10"]})
    survey = pd.concat([survey.iloc[:5], earlier, survey.iloc[5:]])
    crm_path, survey_path = tmp_path / "crm.csv", tmp_path / "survey.csv"
    frame.drop(columns="nps_answer").to_csv(crm_path, index=False)
    survey.to_csv(survey_path, index=False)
    return crm_path, survey_path


def test_answers_from_a_survey_export_join_by_customer_id(repo, tmp_path, capsys):
    crm_path, survey_path = split_sample(repo, tmp_path)
    joined, single = tmp_path / "joined.yaml", tmp_path / "single.yaml"
    common = ["--observed-until", "2025-12-31"]
    assert main(["calibrate", "crm", str(crm_path), "--survey", str(survey_path),
                 "--survey-column", "customer=CustID", "-o", str(joined), *common]) == 0
    assert main(["calibrate", "crm", str(repo / "data" / "sample_crm.csv"), "-o", str(single),
                 *common]) == 0
    assert "1 earlier answers of the same customers left out" in capsys.readouterr().out
    assert load_scenario(joined).overrides == load_scenario(single).overrides


def test_a_survey_answer_for_a_customer_with_no_history_is_named(repo, tmp_path, capsys):
    crm_path, survey_path = split_sample(repo, tmp_path)
    with survey_path.open("a") as survey:
        survey.write("2025-11-02,K99999,10\n")
    target = tmp_path / "s.yaml"
    code = main(["calibrate", "crm", str(crm_path), "--survey", str(survey_path),
                 "--survey-column", "customer=CustID", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and not target.exists()
    # 2,258 answers and 1 earlier one below the header: the appended answer is row 2,261
    assert (f"{survey_path}, row 2261, column customer: customer 'K99999' has an NPS answer but "
            f"no history in {crm_path}") in err
