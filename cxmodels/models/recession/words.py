"""The recession model in words: the headline, the table of recession cases, the bars.

Numbers come from :mod:`.model` and :mod:`.cases`; they are written here
through :mod:`cxmodels.core.formatting` in the report's language.
"""

from __future__ import annotations

import math

import pandas as pd

from ...core.formatting import fixed, format_number, money, money_compact, percent, percent_significant
from ...core.params import ParamValue
from ...core.words import ENGLISH, Words
from .cases import RECESSION_CASES, recession_cases
from .model import FORRESTER_CUT_SHARE, RecessionResult


def _months(value: float, words: Words = ENGLISH) -> str:
    """Months to recover in words; NaN is "not within the horizon"."""
    t = words.t
    if not math.isfinite(value):
        return t("not within the horizon")
    if value == 0:
        return t("at once")
    if value == 1:
        return t("after 1 month")
    return t("after {months} months").format(months=fixed(value, 0, words.locale))


def headline(params: dict[str, ParamValue], result: RecessionResult, words: Words = ENGLISH) -> str:
    """The headline in words (Markdown), for the report's first lines."""
    t, locale = words.t, words.locale

    def eur(value: float) -> str:
        return t("{amount} EUR").format(amount=money(value, "", locale=locale))

    def pct(share: float) -> str:
        return percent_significant(share, locale=locale)

    def number(value: float) -> str:
        return format_number(value, locale)

    horizon = number(params["horizon_months"])
    payback = result.keeping_pays_back_month
    payback_text = (t("keeping pays for itself from month {month}").format(month=fixed(payback, 0, locale))
                    if math.isfinite(payback)
                    else t("keeping does not pay for itself within the horizon"))
    first = (t("**Keeping the CX programme through the recession is worth {value} over {horizon} "
               "months, net of its cost** (present value {npv}; {payback}).")
             if result.protective_value >= 0 else
             t("**Keeping the CX programme through the recession costs {value} over {horizon} "
               "months, net of its cost** (present value {npv}; {payback})."))
    return "\n\n".join((
        first.format(value=eur(abs(result.protective_value)), horizon=horizon,
                     npv=eur(result.protective_value_npv), payback=payback_text),
        t("The recession starts in month {start}, lasts {length} months and cuts spend per "
          "customer by {depth}. Revenue gets back to {threshold} of the pre-recession month: "
          "{kept} with the programme kept, {cut} with it cut.").format(
            start=number(params["recession_start_month"]),
            length=number(params["recession_length_months"]), depth=pct(params["recession_depth"]),
            threshold=pct(params["recovery_threshold"]),
            kept=_months(result.months_to_recover_kept, words),
            cut=_months(result.months_to_recover_cut, words)),
        t("Cutting saves {saved} of programme cost but loses {profit_lost} of gross profit "
          "({revenue_lost} of revenue) as the NPS drifts from {nps_before} to {nps_after} (cut "
          "against kept: {switchers_cut} against {switchers_kept} customers switch to a cheaper "
          "substitute, {returned_cut} against {returned_kept} come back). Forrester expected one "
          "in five CX programmes ({forrester}) to be cut in the 2023 downturn ([recession]).").format(
            saved=eur(result.programme_cost_saved),
            profit_lost=eur(result.gross_profit_gap_over_horizon),
            revenue_lost=eur(result.revenue_gap_over_horizon),
            nps_before=fixed(result.baseline_nps, 0, locale, sign=True),
            nps_after=fixed(result.nps_at_horizon_cut, 0, locale, sign=True),
            switchers_cut=number(round(result.switchers_cut)),
            switchers_kept=number(round(result.switchers_kept)),
            returned_cut=number(round(result.returned_cut)),
            returned_kept=number(round(result.returned_kept)),
            forrester=pct(FORRESTER_CUT_SHARE)),
        t("A saving that does not cut the dialogue: removing {share} of {contacts} contacts a "
          "month through better web service, instructions and returns saves {saving} a year, "
          "{of_programme} of the programme's cost.").format(
            share=pct(params["contacts_avoided_share"]), contacts=number(params["contacts_per_month"]),
            saving=eur(result.contact_saving_per_year),
            of_programme=pct(result.contact_saving_share_of_programme)),
    ))


def case_table(params: dict[str, ParamValue], words: Words = ENGLISH) -> pd.DataFrame:
    """Protective value and recovery under no, a mild, a typical and a deep recession."""
    t, locale = words.t, words.locale
    cases = recession_cases(params)
    names = {"Mild": t("Mild"), "Typical": t("Typical"), "Deep": t("Deep")}
    labels = [t("No recession"), *(names.get(label, label) for label, _, _ in RECESSION_CASES)]
    settings = ["-", *(t("spend -{depth} for {months} months").format(
        depth=percent(depth, decimals=0, locale=locale), months=format_number(length, locale))
        for _, depth, length in RECESSION_CASES)]

    def compact(value: float) -> str:
        return money_compact(value, t("EUR"), locale=locale)

    frame = pd.DataFrame({
        t("Recession"): settings,
        t("Revenue back, kept"): [_months(v, words) for v in cases.months_to_recover_kept],
        t("Revenue back, cut"): [_months(v, words) for v in cases.months_to_recover_cut],
        t("Revenue shortfall, kept"): [compact(v) for v in cases.revenue_shortfall_kept],
        t("Revenue shortfall, cut"): [compact(v) for v in cases.revenue_shortfall_cut],
        t("Protective value"): [compact(v) for v in cases.protective_value],
        t("Present value"): [compact(v) for v in cases.protective_value_npv],
    }, index=pd.Index(labels, name=t("Case")))
    return frame


def saving_bars(result: RecessionResult, words: Words = ENGLISH) -> list[tuple[str, float]]:
    """What cutting saves and loses, beside the saving that keeps the dialogue (EUR
    over the months from the recession's start to the horizon)."""
    t = words.t
    return [
        (t("Cutting the programme: cost saved"), result.programme_cost_saved),
        (t("Cutting the programme: gross profit lost"), result.gross_profit_gap_over_horizon),
        (t("Fewer contacts instead: saving"), result.contact_saving_over_horizon),
    ]
