"""Cash-flow conventions, pinned against numpy-financial."""

import numpy as np
import numpy_financial as npf
import pytest

from cxmodels.core import finance


def test_npv_matches_numpy_financial_at_the_monthly_rate():
    flows = finance.project_cash_flows(1_000, 120, 24)
    annual = 0.08
    monthly = (1 + annual) ** (1 / 12) - 1
    assert finance.npv(flows, annual) == pytest.approx(npf.npv(monthly, flows))


def test_npv_convention_is_not_the_spreadsheet_one():
    # numpy-financial discounts the first flow at t=0; a spreadsheet's NPV
    # starts at t=1 and would give 77.30 / 1.05 = 73.62 here.
    flows = np.array([-100.0, 50, 50, 50, 50])
    yearly_as_months = np.zeros(49)
    yearly_as_months[::12] = flows
    ours = finance.npv(yearly_as_months, 0.05)
    assert ours == pytest.approx(npf.npv(0.05, flows))
    assert ours == pytest.approx(77.30, abs=0.01)


def test_cash_flows_layout():
    flows = finance.project_cash_flows(np.array([100.0, 200.0]), 10.0, np.array([2, 3]))
    np.testing.assert_array_equal(flows, [[-100, 10, 10, 0], [-200, 10, 10, 10]])


def test_payback_month_is_first_month_from_which_cash_stays_positive():
    flows = np.array([[-100, 60, 60, 10], [-100, 150, -100, 60], [-100, 10, 10, 10]])
    np.testing.assert_array_equal(finance.payback_month(flows), [2, 3, np.nan])


def test_zero_rate_npv_is_plain_sum():
    flows = finance.project_cash_flows(500, 40, 12)
    assert finance.npv(flows, 0.0) == pytest.approx(flows.sum())
