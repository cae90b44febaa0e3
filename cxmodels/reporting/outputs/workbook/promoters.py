"""The promoter model in live formulas: the segment table, then the walk to every output.

Sheet **Segments** has a row per segment (promoters, passives, detractors):
its shares today and after the NPS move, revenue and gross profit over the
horizon, the value of one customer (CLV), and the churn, spend and referrals
a year the segment's ratios to the passives give. Sheet **Promoter
economics** follows :func:`cxmodels.models.promoters.model.compute`: the
base's churn, spend and referrals (share-weighted over the segments), its
growth ``g = 1 - churn + referrals``, the geometric sum over the horizon,
the extra revenue and its Shapley split over churn, spend and referrals
(the eight combinations of switching each from today's mix to the new one),
the NPV of the extra gross profit and the CLV ratios.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ....models.promoters import model as promoters
from .book import Book, formula_text, kind_of_value
from .book import quote_sheet as quote
from .generic import PHRASE_LABELS
from .sheets import ReportData, register
from .words import t

#: Each segment's ratio parameters' prefix (None: the passives, the reference).
PREFIX = {"promoters": "promoter", "passives": None, "detractors": "detractor"}
#: A ratio at 1 +- this counts as 1 (the model's geometric sum: the horizon itself).
NEAR_ONE = "0.000000001"


def geometric_sum(ratio: str, count: str) -> str:
    """``sum_{t=1..count} ratio^(t-1)`` as an Excel expression, as the model's ``_geometric_sum``."""
    return f"IF(ABS(1-({ratio}))<{NEAR_ONE},{count},(1-({ratio})^{count})/(1-({ratio})))"


@register("promoters", live_inputs=promoters.MODEL.param_names)
def promoter_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add the Segments table and the Promoter economics walk; returns every output's cell."""
    p = book.inputs
    r = data.result
    params = data.params
    segments = book.sheet(t("Segments"))
    seg = quote(segments.name)
    moved = f"({p['nps_change_points']}/100)"
    from_detractors = f"({moved}*{p['share_from_detractors']})"
    to_promoters = f"({moved}-{from_detractors})"
    today = {"promoters": p["promoter_share"],
             "passives": f"(1-({p['promoter_share']}+{p['detractor_share']}))",
             "detractors": p["detractor_share"]}
    shift = {"promoters": to_promoters, "passives": f"({from_detractors}-{to_promoters})",
             "detractors": f"(-{from_detractors})"}
    horizon, discount = p["horizon_years"], f"(1+{p['annual_discount_rate']})"
    walk = book.sheet(t("Promoter economics"))
    wk = quote(walk.name)
    churn_ = promoters.segment_values(params["promoter_churn_ratio"], 1.0, params["detractor_churn_ratio"]) \
        * params["passive_annual_churn"]
    spend_ = (promoters.segment_values(params["promoter_orders_ratio"], 1.0, params["detractor_orders_ratio"])
              * promoters.segment_values(params["promoter_order_value_ratio"], 1.0,
                                         params["detractor_order_value_ratio"])
              * (params["passive_orders_per_year"] * params["passive_order_value"]))
    referrals_ = promoters.segment_values(params["promoter_referral_ratio"], 1.0,
                                          params["detractor_referral_ratio"]) * params["passive_referrals_per_year"]
    # Walk rows (1-based spreadsheet rows on the walk sheet) the segment table reads.
    walk_rows = {"years_today": 10, "years_after": 11}
    years = {name: f"{wk}!$B${row}" for name, row in walk_rows.items()}

    def ratio(segment: str, what: str) -> str:
        prefix = PREFIX[segment]
        return "1" if prefix is None else p[f"{prefix}_{what}"]

    for index, segment in enumerate(promoters.SEGMENTS):
        row, x = index + 1, index + 2
        segments.text(row, 0, t(segment))
        segments.formula(row, 1, f"={today[segment]}", float(r.baseline_shares[index]), "share")
        segments.formula(row, 2, f"=B{x}+{shift[segment]}", float(r.scenario_shares[index]), "share")
        segments.formula(row, 3, f"={p['customers']}*{years['years_today']}*B{x}*J{x}",
                         float(r.revenue_by_segment_baseline[index]), "money")
        segments.formula(row, 4, f"={p['customers']}*{years['years_after']}*C{x}*J{x}",
                         float(r.revenue_by_segment_scenario[index]), "money")
        segments.formula(row, 5, f"=D{x}*{p['gross_margin']}",
                         float(r.gross_profit_by_segment_baseline[index]), "money")
        segments.formula(row, 6, f"=E{x}*{p['gross_margin']}",
                         float(r.gross_profit_by_segment_scenario[index]), "money")
        segments.formula(row, 7, f"={p['gross_margin']}*J{x}/{discount}*"
                                 + geometric_sum(f"(1-I{x})/{discount}", horizon),
                         float(r.clv_by_segment[index]), "money")
        segments.formula(row, 8, f"={ratio(segment, 'churn_ratio')}*{p['passive_annual_churn']}",
                         float(churn_[index]), "share")
        segments.formula(row, 9, f"={ratio(segment, 'orders_ratio')}*{ratio(segment, 'order_value_ratio')}"
                                 f"*({p['passive_orders_per_year']}*{p['passive_order_value']})",
                         float(spend_[index]), "money")
        segments.formula(row, 10, f"={ratio(segment, 'referral_ratio')}*{p['passive_referrals_per_year']}",
                         float(referrals_[index]), "decimal")
    segments.table(0, [t("Segment"), t("Share today"), t("Share after the NPS move"),
                       t("Revenue over the horizon, today's mix"), t("Revenue over the horizon, after"),
                       t("Gross profit over the horizon, today's mix"),
                       t("Gross profit over the horizon, after"), t("Value of one customer (CLV)"),
                       t("Churn a year"), t("Spend a year (orders x order value)"),
                       t("Referrals a year")], 3, sortable=False)
    return _walk(walk, seg, p, data, churn_, spend_, referrals_, walk_rows)


def _walk(walk, seg: str, p: dict[str, str], data: ReportData, churn_, spend_, referrals_,
          walk_rows: dict[str, int]) -> dict[str, str]:
    r = data.result
    horizon, discount, margin = p["horizon_years"], f"(1+{p['annual_discount_rate']})", p["gross_margin"]
    base, after = np.asarray(r.baseline_shares, dtype=float), np.asarray(r.scenario_shares, dtype=float)
    c = (float(base @ churn_), float(after @ churn_))
    w = (float(base @ spend_), float(after @ spend_))
    q = (float(base @ referrals_), float(after @ referrals_))
    g = (1 - c[0] + q[0], 1 - c[1] + q[1])

    def column(letter: str, mix: str) -> str:
        return f"SUMPRODUCT({seg}!${mix}$2:${mix}$4,{seg}!${letter}$2:${letter}$4)"

    def gsum(x, n):
        return float(promoters._geometric_sum(x, n))

    hz = float(data.params["horizon_years"])
    rate = 1.0 + float(data.params["annual_discount_rate"])
    customers = float(data.params["customers"])
    rows = [
        ("churn_today", t("Churn a year, today's mix"), f"={column('I', 'B')}", c[0], "share"),
        ("churn_after", t("Churn a year, after the NPS move"), f"={column('I', 'C')}", c[1], "share"),
        ("spend_today", t("Spend a customer a year, today's mix"), f"={column('J', 'B')}", w[0], "EUR per year"),
        ("spend_after", t("Spend a customer a year, after the NPS move"), f"={column('J', 'C')}", w[1],
         "EUR per year"),
        ("ref_today", t("Referrals a customer a year, today's mix"), f"={column('K', 'B')}", q[0],
         "new customers per customer a year"),
        ("ref_after", t("Referrals a customer a year, after the NPS move"), f"={column('K', 'C')}", q[1],
         "new customers per customer a year"),
        ("g_today", t("Growth of the base a year, today's mix"), "=1-{churn_today}+{ref_today}", g[0], "ratio"),
        ("g_after", t("Growth of the base a year, after the NPS move"), "=1-{churn_after}+{ref_after}", g[1],
         "ratio"),
        ("years_today", t("Customer-years per starting customer, today's mix"),
         "=" + geometric_sum("{g_today}", horizon), gsum(g[0], hz), "years"),
        ("years_after", t("Customer-years per starting customer, after the NPS move"),
         "=" + geometric_sum("{g_after}", horizon), gsum(g[1], hz), "years"),
        ("total_today", t("Revenue over the horizon, today's mix"), f"=SUM({seg}!$D$2:$D$4)",
         float(r.baseline_revenue_over_horizon), "EUR"),
        ("total_after", t("Revenue over the horizon, after"), f"=SUM({seg}!$E$2:$E$4)",
         float(r.scenario_revenue_over_horizon), "EUR"),
        ("npv_today", t("Present value of revenue, today's mix"),
         f"={p['customers']}*{{spend_today}}/{discount}*" + geometric_sum(f"{{g_today}}/{discount}", horizon),
         customers * w[0] / rate * gsum(g[0] / rate, hz), "EUR"),
        ("npv_after", t("Present value of revenue, after the NPS move"),
         f"={p['customers']}*{{spend_after}}/{discount}*" + geometric_sum(f"{{g_after}}/{discount}", horizon),
         customers * w[1] / rate * gsum(g[1] / rate, hz), "EUR"),
    ]
    # The Shapley split: revenue with each of churn, spend and referrals at today's (0) or the new (1) mix.
    combos = list(itertools.product((0, 1), repeat=3))
    keys = (("churn_today", "churn_after"), ("spend_today", "spend_after"), ("ref_today", "ref_after"))
    values = {}
    for bits in combos:
        cc, ww, qq = (pair[b] for pair, b in zip((c, w, q), bits))
        values[bits] = customers * ww * gsum(1 - cc + qq, hz)
        ch, sp, rf = ("{" + pair[b] + "}" for pair, b in zip(keys, bits))
        rows.append((f"combo_{''.join(map(str, bits))}",
                     t("Revenue with churn {churn}, spend {spend}, referrals {referrals}").format(
                         **{name: t("after the move") if b else t("as today") for name, b in
                            zip(("churn", "spend", "referrals"), bits)}),
                     f"={p['customers']}*{sp}*" + geometric_sum(f"1-{ch}+{rf}", horizon),
                     values[bits], "EUR"))
    cells = {key: f"$B${row}" for row, (key, *_rest) in enumerate(rows, start=2)}
    assert cells["years_today"] == f"$B${walk_rows['years_today']}"
    assert cells["years_after"] == f"$B${walk_rows['years_after']}"

    def shapley(i: int) -> str:
        terms = []
        for bits in combos:
            if bits[i]:
                continue
            size = sum(bits)
            weight = math.factorial(size) * math.factorial(2 - size) / math.factorial(3)
            with_i = bits[:i] + (1,) + bits[i + 1:]
            terms.append(f"{weight!r}*({{combo_{''.join(map(str, with_i))}}}-{{combo_{''.join(map(str, bits))}}})")
        return "=" + "+".join(terms)

    empty = formula_text("-")
    outputs = [
        ("baseline_nps", f"=100*({seg}!$B$2-{seg}!$B$4)"),
        ("scenario_nps", f"=100*({seg}!$C$2-{seg}!$C$4)"),
        ("extra_revenue_first_year", f"={p['customers']}*({{spend_after}}-{{spend_today}})"),
        ("extra_revenue_per_year", f"=({{total_after}}-{{total_today}})/{horizon}"),
        ("extra_revenue_over_horizon", "={total_after}-{total_today}"),
        ("extra_gross_profit_per_year", f"=({{total_after}}-{{total_today}})*{margin}/{horizon}"),
        ("extra_gross_profit_npv", f"=({{npv_after}}-{{npv_today}})*{margin}"),
        ("revenue_from_retention", shapley(0)),
        ("revenue_from_larger_orders", shapley(1)),
        ("revenue_from_referrals", shapley(2)),
        ("promoter_clv", f"={seg}!$H$2"),
        ("passive_clv", f"={seg}!$H$3"),
        ("detractor_clv", f"={seg}!$H$4"),
        ("promoter_to_other_ltv_ratio",
         f"=IF(OR({seg}!$B$3+{seg}!$B$4=0,{seg}!$B$3*{seg}!$H$3+{seg}!$B$4*{seg}!$H$4=0),{empty},"
         f"{seg}!$H$2/(({seg}!$B$3*{seg}!$H$3+{seg}!$B$4*{seg}!$H$4)/({seg}!$B$3+{seg}!$B$4)))"),
        ("promoter_to_detractor_ltv_ratio", f"=IF({seg}!$H$4=0,{empty},{seg}!$H$2/{seg}!$H$4)"),
    ]
    first = len(rows) + 1
    labels = {output.name: output for output in data.model.outputs}
    for key, formula in outputs:
        output = labels[key]
        rows.append((key, t(PHRASE_LABELS.get(output.title, output.title)), formula,
                     data.model.headline(r)[key], output.unit))
        cells[key] = f"$B${len(rows) + 1}"
    for row, (key, label, formula, value, unit) in enumerate(rows, start=1):
        walk.text(row, 0, label, "bold" if row >= first else None)
        shown = "-" if value is None else value
        walk.formula(row, 1, formula.format(**cells), shown, kind_of_value(unit, value))
        walk.text(row, 2, t(unit))
    walk.table(0, [t("Step"), t("Value"), t("Unit")], len(rows), sortable=False)
    return {key: f"{quote(walk.name)}!{cells[key]}" for key, _formula in outputs}
