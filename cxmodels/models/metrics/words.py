"""Survey metrics in words: the headline, the summary table as people read it, the
notes on how the file was read.

Numbers come from :mod:`.model` (:func:`~.model.summarise`,
:func:`~.model.nps_gap`); they are written here through
:mod:`cxmodels.core.formatting` in the report's language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...core.formatting import fixed, format_number, percent
from ...core.grammar import date_in_prose
from ...core.params import ParamValue
from ...core.text import markdown_text
from ...core.words import ENGLISH, Words
from .model import Survey, nps_gap


def present_summary(table: pd.DataFrame, words: Words = ENGLISH) -> pd.DataFrame:
    """A summary table as people read it (points, percent, counts)."""
    t, locale = words.t, words.locale
    interval = [t("{low} to {high}").format(low=fixed(low, 0, locale, sign=True),
                                           high=fixed(high, 0, locale, sign=True))
                for low, high in zip(table["nps_low"], table["nps_high"])]
    return pd.DataFrame({
        t("Answers"): table["respondents"].map(lambda v: fixed(v, 0, locale)),
        t("NPS"): table["nps"].map(lambda v: fixed(v, 0, locale, sign=True)),
        t("Interval"): interval,
        t("Promoters"): (table["promoters"] / table["respondents"]).map(
            lambda v: percent(v, 0, locale)),
        t("Detractors"): (table["detractors"] / table["respondents"]).map(
            lambda v: percent(v, 0, locale)),
        t("CES"): table["ces"].map(lambda v: fixed(v, 2, locale)),
        t("FCR"): table["fcr"].map(lambda v: percent(v, 0, locale)),
        t("Enough answers"): np.where(table["enough_respondents"], t("yes"), t("too few")),
    }, index=table.index)


def reading_notes(survey: Survey, words: Words = ENGLISH) -> str:
    """How the file was read (Markdown): the format recognised, the period, the
    column read for each metric and how (the notes on columns stay as the
    survey reader writes them, in English)."""
    first, last = survey.period
    lines = [words.t("Read `{file}` ({format}): {responses} responses from {first} to {last}.").format(
        file=survey.path.name, format=survey.format,
        responses=format_number(len(survey.responses), words.locale),
        first=date_in_prose(first, words), last=date_in_prose(last, words))]
    lines += [f"- {note}" for note in survey.notes]
    return "\n".join(lines)


def headline(params: dict[str, ParamValue], overall: pd.DataFrame, survey: Survey,
             by_channel: pd.DataFrame, words: Words = ENGLISH) -> str:
    """The headline in words (Markdown): overall NPS with interval, CES, FCR, channel gaps."""
    t, locale = words.t, words.locale

    def signed(value: float) -> str:
        return fixed(value, 0, locale, sign=True)

    def number(value: float) -> str:
        return format_number(value, locale)

    row = overall.iloc[0]
    low, high = survey.ces_scale
    gap = ""
    if len(by_channel) > 1:
        best, worst = by_channel["nps"].idxmax(), by_channel["nps"].idxmin()
        difference, margin = nps_gap(by_channel, best, worst, params["confidence_level"])
        gap = (
            t("The {difference}-point gap between {best} ({best_nps}) and {worst} ({worst_nps}) is "
              "real: larger than its margin of error ({margin} points).") if difference > margin
            else t("The {difference}-point gap between {best} ({best_nps}) and {worst} ({worst_nps}) "
                   "is within the noise: its margin of error is {margin} points.")
        ).format(
            # channel names come from the file: shown as typed, never as markup
            difference=fixed(difference, 0, locale), best=markdown_text(best),
            best_nps=signed(by_channel.loc[best, "nps"]), worst=markdown_text(worst),
            worst_nps=signed(by_channel.loc[worst, "nps"]), margin=fixed(margin, 0, locale))
    too_few = "\n\n" + t(
        "**Too few answers:** {answers} is fewer than the {needed} needed to read an NPS; treat "
        "it as a hint, not a measurement.").format(
        answers=number(row["respondents"]), needed=number(params["min_respondents"])
    ) if not row["enough_respondents"] else ""
    effort = (
        t("Customer effort {ces} on the {low}-{high} scale ({answers} answers); ").format(
            ces=fixed(row["ces"], 2, locale), low=low, high=high,
            answers=number(row["ces_respondents"])) if row["ces_respondents"]
        else t("No customer-effort answers; "))
    resolved = (
        t("{share} resolved in the first contact ({answers} answers). ").format(
            share=percent(row["fcr"], 0, locale), answers=number(row["fcr_respondents"]))
        if row["fcr_respondents"] else t("no first-contact-resolution answers. "))
    return t(
        "**NPS {nps} points** ({level} interval {low} to {high}) from {answers} answers, "
        "{promoters} promoters and {detractors} detractors."
    ).format(
        nps=signed(row["nps"]), level=percent(params["confidence_level"], 0, locale),
        low=signed(row["nps_low"]), high=signed(row["nps_high"]), answers=number(row["respondents"]),
        promoters=percent(row["promoters"] / row["respondents"], 0, locale),
        detractors=percent(row["detractors"] / row["respondents"], 0, locale),
    ) + f"{too_few}\n\n{effort}{resolved}{gap}"
