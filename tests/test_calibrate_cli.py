"""`cxmodels calibrate`: the analyst's own files in, a loadable retention scenario out."""

import json
import subprocess
import sys
from datetime import date

import pytest

from cxmodels.calibration.fitting import FitError
from cxmodels.calibration.transactions import read_transactions, repeat_buying_summary
from cxmodels.cli import main
from cxmodels.core.errors import DataFileError
from cxmodels.reporting.scenarios.scenario import load_scenario


def test_transactions_give_a_scenario_that_loads_and_calculates(repo, tmp_path, capsys):
    target = tmp_path / "calibrated.yaml"
    code = main(["calibrate", "transactions", str(repo / "data" / "sample_transactions.csv"),
                 "--observed-until", "2025-06-30", "-o", str(target)])
    out = capsys.readouterr().out
    assert code == 0
    assert "annual_churn = " in out and f"scenario: {target}" in out
    scenario = load_scenario(target)
    assert scenario.model.name == "retention"
    assert set(scenario.overrides) == {"annual_churn", "purchases_per_month", "basket_value"}
    # The sample company's truth (data/make_sample_company.py): 0.125 purchases a
    # week while active = 0.54 a month; mean purchase 6 * 20 / 3 = 40 EUR.
    # The written rate is the effective one that keeps the fit's purchases
    # (tests/test_calibration_bridge.py); the fit's mean rate r / alpha is in the notes.
    mean_rate = float(scenario.notes.split("an active one buys ")[1].split(" times")[0])
    assert mean_rate == pytest.approx(0.125 * 30.4375 / 7, rel=0.1)
    assert scenario.overrides["purchases_per_month"] < mean_rate
    assert scenario.overrides["basket_value"] == pytest.approx(40, rel=0.15)
    assert "sample_transactions.csv (1,000 customers" in scenario.notes
    assert "BG/NBD" in scenario.notes and "standard error" in scenario.notes
    # ... and the values run through the model from the command line
    settings = [arg for name, value in scenario.overrides.items()
                for arg in ("--set", f"{name}={float(value)!r}")]
    run = subprocess.run([sys.executable, "-m", "cxmodels", "calc", "retention", *settings,
                          "--json"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)


def test_cohorts_give_a_churn_scenario(repo, tmp_path, capsys):
    target = tmp_path / "cohorts.yaml"
    assert main(["calibrate", "sbg", str(repo / "data" / "sample_cohorts.csv"),
                 "-o", str(target)]) == 0
    scenario = load_scenario(target)
    # truth alpha 0.9, beta 2.5: survival at 3 years 0.46, flat churn 1 - 0.46^(1/3)
    from cxmodels.calibration.sbg import survival
    truth = 1 - survival(0.9, 2.5, 3.0) ** (1 / 3)
    assert scenario.overrides["annual_churn"] == pytest.approx(truth, abs=0.02)
    assert "shifted-beta-geometric" in scenario.notes and "3 cohorts" in scenario.notes


def test_an_existing_scenario_is_not_overwritten_without_force(repo, tmp_path, capsys):
    target = tmp_path / "s.yaml"
    target.write_text("keep me")
    args = ["calibrate", "sbg", str(repo / "data" / "sample_cohorts.csv"), "-o", str(target)]
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err and target.read_text() == "keep me"
    assert main([*args, "--force"]) == 0


def write(tmp_path, text, name="log.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "expected"), [
    ("customer,date,amount\nA,2024-01-05,-20\n",
     r"row 2, column amount: .*-20.*leave returns and refunds out"),
    ("customer,date,amount\nA,2024-01-05,20\nB,2099-01-01,5\n",
     r"row 3, column date: 2099-01-01 is in the future"),
    ("customer,date,amount\nA,2024-01-05,20\nA,2024-01-05,20\n",
     r"rows 2, 3: 1 rows repeat another row exactly .*--allow-duplicates"),
    ("customer,date,amount\n,2024-01-05,20\n", r"row 2, column customer: is blank"),
    ("customer,date,amount\nA,5.13.2024,20\n", r"row 2, column date: '5.13.2024' is not a date"),
    ("Client,Day,Sum\nA,2024-01-05,20\n", r"no column for customer, date, amount"),
])
def test_bad_rows_are_named_with_the_fix(tmp_path, text, expected):
    with pytest.raises(DataFileError, match=expected):
        read_transactions(write(tmp_path, text))


def test_a_mapping_reads_the_files_own_headers(tmp_path):
    path = write(tmp_path, "Client;Day;Sum\nA;5.1.2024;20,50\nA;7.1.2024;1.234,50\n")
    log = read_transactions(path, columns={"customer": "Client", "date": "Day", "amount": "Sum"})
    assert log["amount"].tolist() == [20.5, 1234.5]
    history = repeat_buying_summary(log, observed_until=date(2024, 1, 19), unit_days=7)
    assert history.summary.loc["A"].tolist() == [1.0, 2 / 7, 2.0, 1234.5]


def test_too_few_customers_is_one_line_on_the_command_line(tmp_path, capsys):
    rows = "".join(f"C{n},2024-0{1 + n % 5}-1{n % 9},{10 + n}\n" for n in range(30))
    path = write(tmp_path, "customer,date,amount\n" + rows)
    code = main(["calibrate", "transactions", str(path), "-o", str(tmp_path / "s.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "too few customers" in err and str(path) in err
    assert "Traceback" not in err and not (tmp_path / "s.yaml").exists()


def test_a_fit_that_runs_away_is_an_error_not_a_scenario(tmp_path, capsys):
    path = write(tmp_path, "cohort,period,active\n" + "".join(
        f"A,{t},{n}\n" for t, n in enumerate([1000, 500, 500, 500, 500, 500])))
    code = main(["calibrate", "sbg", str(path), "-o", str(tmp_path / "s.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and "did not converge" in err and str(path) in err
    assert not (tmp_path / "s.yaml").exists()
    assert issubclass(FitError, ValueError)


def test_a_mapping_to_a_missing_column_says_which_columns_exist(tmp_path, capsys):
    path = write(tmp_path, "cohort,period,active\nA,0,10\n")
    assert main(["calibrate", "sbg", str(path), "-o", str(tmp_path / "s.yaml"),
                 "--column", "active=Customers"]) == 2
    assert "names no column of this file; columns found: cohort, period, active" in (
        capsys.readouterr().err)


def test_sbg_scenario_runs_the_retention_model_on_the_fitted_curve_with_its_sources(repo, tmp_path):
    target = tmp_path / "curve.yaml"
    assert main(["calibrate", "sbg", str(repo / "data" / "sample_cohorts.csv"),
                 "-o", str(target)]) == 0
    scenario = load_scenario(target)
    assert scenario.overrides["curve_alpha"] == pytest.approx(0.9, rel=0.25)
    assert scenario.overrides["curve_beta"] == pytest.approx(2.5, rel=0.25)
    assert scenario.overrides["curve_period_months"] == 12
    source = scenario.sources["annual_churn"]
    assert source.startswith("your data: sample_cohorts.csv, n=4,700 customers in 3 cohorts, "
                             "period 7 renewals of 12 months, method sBG maximum likelihood")
    assert set(scenario.sources) == set(scenario.overrides)


def test_business_case_scenario_carries_the_sampling_uncertainty(repo, tmp_path):
    """The distributions' sd is the delta-method standard error: checked against the
    spread of the derived values over draws of the fitted parameters from their
    asymptotic normal distribution (log scale), computed here."""
    import numpy as np

    from cxmodels.calibration import bgnbd, gamma_gamma

    target = tmp_path / "bc.yaml"
    path = repo / "data" / "sample_transactions.csv"
    assert main(["calibrate", "transactions", str(path), "--model", "business_case",
                 "-o", str(target)]) == 0
    scenario = load_scenario(target)
    assert scenario.model.name == "business_case"
    kinds = {name: d.kind for name, d in scenario.distributions.items()}
    assert kinds == {"annual_churn": "beta", "purchases_per_month": "lognormal",
                     "basket_value": "lognormal"}
    assert all(s.startswith("your data: sample_transactions.csv, n=") for s in scenario.sources.values())
    history = repeat_buying_summary(read_transactions(path), path=path)
    fit = bgnbd.fit_history(history)
    rng = np.random.default_rng(1)
    logs = rng.multivariate_normal(np.log([fit.r, fit.alpha, fit.a, fit.b]), fit.log_covariance,
                                   4000)
    import dataclasses

    draws = [dataclasses.replace(fit, **dict(zip(("r", "alpha", "a", "b"), np.exp(row))))
             for row in logs[:1500]]
    rates = np.array([draw.effective_purchases_per_month(5.0) for draw in draws])
    churns = np.array([draw.fading_churn(5.0) for draw in draws])
    assert scenario.distributions["purchases_per_month"].sd == pytest.approx(rates.std(), rel=0.1)
    assert scenario.distributions["annual_churn"].sd == pytest.approx(churns.std(), rel=0.1)
    spend = gamma_gamma.fit_history(history)
    p, q, v = np.exp(rng.multivariate_normal(np.log([spend.p, spend.q, spend.v]),
                                             spend.log_covariance, 4000)).T
    assert scenario.distributions["basket_value"].sd == pytest.approx(
        np.std(p * v / (q - 1)), rel=0.15)
    # horizon defaults to the business case's 60 months
    assert "fade over 5 years" in scenario.sources["annual_churn"]


def test_a_source_for_a_value_the_file_does_not_set_is_refused(tmp_path):
    from cxmodels.reporting.scenarios.scenario import ScenarioError

    path = tmp_path / "s.yaml"
    path.write_text("title: t\nmodel: retention\nparameters:\n  annual_churn: 0.2\n"
                    "sources:\n  basket_value: 'your data: x.csv'\n")
    with pytest.raises(ScenarioError, match="line 5: `sources` names basket_value, which"):
        load_scenario(path)


def test_the_calibrated_report_names_your_data_in_its_assumptions_table(repo, tmp_path):
    import html
    import re

    from cxmodels.reporting.batch import run_batch

    target = tmp_path / "cohorts.yaml"
    assert main(["calibrate", "sbg", str(repo / "data" / "sample_cohorts.csv"),
                 "-o", str(target)]) == 0
    out = tmp_path / "reports"
    assert [o.status for o in run_batch([target], out)] == ["done"]
    page = html.unescape((out / "cohorts.html").read_text(encoding="utf-8").replace("\\_", "_"))
    sources = load_scenario(target).sources
    cells = re.findall(r"<td[^>]*>\s*(your data: [^<]*?)\s*</td>", page)
    # Each in the assumptions table, and the summary's main assumptions name theirs too.
    assert set(cells) == set(sources.values())
    assert len(cells) > len(sources)
    assert "Retention rises with tenure." in page and "fold" in page


def test_calibrate_all_joins_the_files_and_says_which_churn_and_mix_it_uses(repo, tmp_path,
                                                                           capsys):
    data = repo / "data"
    target = tmp_path / "case.yaml"
    assert main(["calibrate", "all", "--transactions", str(data / "sample_transactions.csv"),
                 "--crm", str(data / "sample_crm.csv"), "--survey", str(data / "sample_survey.csv"),
                 "--cohorts", str(data / "sample_cohorts.csv"), "-o", str(target)]) == 0
    scenario = load_scenario(target)
    assert scenario.model.name == "business_case"
    # every value names its file
    assert set(scenario.sources) == set(scenario.overrides)
    assert all(s.startswith("your data: sample_") and ", n=" in s and "period" in s
               and "method" in s for s in scenario.sources.values())
    # churn: the transaction log's, the others shown
    log = load_scenario(_calibrated(repo, tmp_path, "transactions"))
    assert scenario.overrides["annual_churn"] == log.overrides["annual_churn"]
    churn = scenario.sources["annual_churn"]
    assert churn.startswith("your data: sample_transactions.csv") and "used because" in churn
    assert "cohorts' flat churn" in churn and "CRM's passives lose 20.1 %" in churn
    # the NPS mix: the survey has more answers (2,884 against the CRM's 2,258)
    assert scenario.sources["promoter_share"].startswith("your data: sample_survey.csv, n=2,884")
    assert "the CRM's 47.0 %" in scenario.sources["promoter_share"]
    assert "promoter_share = 49.6 % from the survey, because the survey has more NPS answers" \
        in scenario.notes
    # the CRM's ratios and customers are in, from the CRM
    assert scenario.sources["promoter_churn_ratio"].startswith("your data: sample_crm.csv")
    assert scenario.overrides["starting_customers"] == 1574


def _calibrated(repo, tmp_path, source):
    target = tmp_path / f"{source}.yaml"
    assert main(["calibrate", source, str(repo / "data" / "sample_transactions.csv"),
                 "--model", "business_case", "-o", str(target)]) == 0
    return target


def test_calibrate_all_without_a_file_says_so(tmp_path, capsys):
    assert main(["calibrate", "all", "-o", str(tmp_path / "case.yaml")]) == 2
    assert "give at least one of --transactions" in capsys.readouterr().err
    assert not (tmp_path / "case.yaml").exists()


def test_calibrate_all_with_the_crm_alone_takes_its_mix(repo, tmp_path, capsys):
    target = tmp_path / "case.yaml"
    assert main(["calibrate", "all", "--crm", str(repo / "data" / "sample_crm.csv"),
                 "-o", str(target)]) == 0
    scenario = load_scenario(target)
    assert scenario.sources["promoter_share"].startswith("your data: sample_crm.csv")
    assert "no two files measure the same value." in scenario.notes


def test_observed_until_after_today_is_refused_for_transactions_as_for_crm(repo, tmp_path, capsys):
    """Issue 25: 2099-01-01 was accepted, adding 20 % purchases in days not yet lived."""
    log = str(repo / "data" / "sample_transactions.csv")
    code = main(["calibrate", "transactions", log, "-o", str(tmp_path / "s.yaml"),
                 "--observed-until", "2099-01-01"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "--observed-until 2099-01-01 is in the future" in err and "Traceback" not in err
    assert not (tmp_path / "s.yaml").exists()
