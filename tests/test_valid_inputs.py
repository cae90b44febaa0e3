"""Valid but extreme inputs: refused with a clear message or handled by the report.

Issue 15, items 9 and 12. Each crashed a notebook with a message naming no
parameter, or misled silently.
"""

import pytest

from cxmodels.core.errors import DataFileError, ParameterError
from cxmodels.core.model import format_value
from cxmodels.models import business_case as bc
from cxmodels.models import metrics, promoters, retention, touchpoint
from cxmodels.reporting.execute.run import render_report

SURVEY = "response_id,response_date,channel,nps_score,ces_score,resolved_first_contact\n"


def test_business_case_with_no_draws_renders_the_point_estimate(tmp_path):
    report = render_report(bc.MODEL, {"draws": 0}, tmp_path, log=lambda line: None)
    assert "The programme" in report.html.read_text(encoding="utf-8")


def test_a_bus_with_nobody_on_it_renders(tmp_path):
    report = render_report(touchpoint.MODEL, {"passengers_per_trip": 0, "buyers_per_trip": 0},
                           tmp_path, log=lambda line: None)
    assert report.html.is_file()


@pytest.mark.parametrize(("model", "name"), [(promoters.MODEL, "customers"),
                                              (promoters.MODEL, "passive_order_value"),
                                              (touchpoint.MODEL, "setup_cost"),
                                              (touchpoint.MODEL, "running_cost_per_month")])
def test_absurd_amounts_are_refused_in_one_readable_line(model, name):
    with pytest.raises(ParameterError) as caught:
        model.validate({name: 1e308})
    (line,) = caught.value.problems
    assert line.startswith(f"{name} = 1e+308 is outside the allowed range") and len(line) < 200


def test_initiative_amounts_are_bounded_too(tmp_path):
    path = tmp_path / "initiatives.csv"
    path.write_text("issue,how,resources,by_when,owner,one_off_cost,running_cost_per_month,start_month,"
                    "months_to_full_effect,lever,lever_size\nA,B,C,2027,D,1e308,0,0,1,buyer_share,0.05\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match=r"row 2, column one_off_cost: 1e\+308 is outside"):
        bc.load_initiatives(path)


@pytest.mark.parametrize("rows", ["a,Bus,520,0.125,20,360,extra\nb,Desk,140,0.1,18,360\n",
                                  "a,Bus,520,0.125,20,360\nb,Desk,140,0.1,18,360,extra\n"])
def test_a_row_with_an_extra_cell_is_named(tmp_path, rows):
    path = tmp_path / "touchpoints.csv"
    path.write_text("journey_stage,touchpoint,visits_per_day,buyer_share,spend_per_buyer,"
                    "operating_days\n" + rows, encoding="utf-8")
    row = 2 if "extra\nb" in rows else 3
    with pytest.raises(DataFileError) as caught:
        touchpoint.load_touchpoints(path)
    (line,) = caught.value.problems
    assert line.startswith(f"{path}, row {row}: 7 cells but the header has 6")


def test_a_survey_with_every_nps_blank_is_refused(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY + "R1,2024-01-01,phone,,3,1\nR2,2024-01-02,chat,,4,0\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"no usable NPS answers in column `nps_score` \(every cell is blank\)"):
        metrics.load_survey(path)


def test_duplicate_response_ids_are_refused_not_counted_twice(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(SURVEY + "R1,2024-01-01,phone,9,3,1\nR2,2024-01-02,chat,3,4,0\n"
                    "R1,2024-01-01,phone,9,3,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"'R1' in rows 2, 4"):
        metrics.load_survey(path)


def test_an_initiative_after_the_horizon_says_so(tmp_path):
    path = tmp_path / "initiatives.csv"
    path.write_text("issue,how,resources,by_when,owner,one_off_cost,running_cost_per_month,start_month,"
                    "months_to_full_effect,lever,lever_size\n"
                    "Now,B,C,2027,D,1000,0,0,1,buyer_share,0.05\n"
                    "Later,B,C,2031,D,1000,0,90,1,buyer_share,0.05\n", encoding="utf-8")
    programme = bc.load_initiatives(path)
    result = bc.compute(**bc.MODEL.validate({"draws": 0, "horizon_months": 60}), initiatives=programme)
    table = bc.initiative_table(programme, result)
    later = table.loc[table["Initiative"] == "Later", "NPV alone"].item()
    assert later == "none: starts after the 60-month horizon"


def test_one_purchase_reads_as_english():
    spec = retention.MODEL.param("purchases_per_month")
    assert format_value(spec, 1) == "1 per customer per month"
