"""The what-if panel's words, in the scenario's language, for a manager.

The specs name parameters for code and scenario files (``matters_per_month``,
``cost_overrun``) and explain shares as fractions (``0.30 = 30 %``), as a
scenario file holds them. The panel shows the same levers to people who
type percent into a box, so here are: labels in words where the name is
jargon, help texts in the unit the box uses, shares that are percentage
points labelled as points, a reading in words of the two ratio levers
("costs as planned (×1.00)"), the page's paragraph and the sentence that
tells the base case from the simulation. Every text goes through the
gettext catalogue (:func:`~cxmodels.reporting.words.language.translate`).
"""

from __future__ import annotations

import math
import re

from ..core.formatting import format_number, percent, quantity_parts
from ..core.model import Output
from ..core.params import Param
from ..reporting.words.language import N_, translate
from .controls import SliderScale
from .controls import label as english_label

#: Shares whose box holds percentage points (a change of a rate), not a share.
POINTS = frozenset({"churn_improvement", "recovery_rate_gain", "self_service_success_lift",
                    "phone_fcr_lift", "chat_fcr_lift", "email_fcr_lift"})

#: Labels in words where the parameter's name is jargon (the unit follows).
LABELS = {
    "matters_per_month": N_("Customer-service requests a month"),
    "matters_removed_share": N_("Requests prevented at the source"),
    "mix_shift_to_self_service": N_("Requests moved to self-service"),
    "self_service_success_lift": N_("Self-service success up by"),
    "phone_fcr_lift": N_("Phone: solved at first contact, up by"),
    "chat_fcr_lift": N_("Chat: solved at first contact, up by"),
    "email_fcr_lift": N_("Email: solved at first contact, up by"),
    "phone_fcr": N_("Phone: solved at first contact"),
    "self_service_success": N_("Self-service success"),
    "phone_cost_per_contact": N_("Cost of a phone contact"),
    "assisted_cost_per_contact": N_("Cost of a contact with a person"),
    "effect_realised": N_("Effects delivered"),
    "cost_overrun": N_("Costs against the plan"),
    "churn_improvement": N_("Annual churn down by"),
    "recovery_rate_gain": N_("Service recovery rate up by"),
    "confidence_level": N_("Confidence level"),
}

#: Help texts in the unit the box uses (percent, or percentage points) where
#: the spec's help explains a fraction; the others are the spec's own help.
HELP = {
    "confidence_level": N_("How sure the NPS range is: 95 means a confidence interval at 95 %."),
    "gross_margin": N_("Gross margin on the sales, in percent: 30 means 30 %."),
    "annual_discount_rate": N_("Yearly rate for present values, in percent: 8 means 8 %."),
    "annual_churn": N_("Share of customers lost in a year, in percent: 20 means 20 %."),
    "churn_improvement": N_("Percentage points by which annual churn falls: 2 means from "
                            "20 % to 18 %."),
    "basket_lift": N_("Basket value up by this much, in percent: 5 means +5 %."),
    "frequency_lift": N_("Purchases a month up by this much, in percent: 5 means +5 %."),
    "lifetime_lift": N_("Expected customer lifetime up by this much, in percent: 5 means +5 %."),
    "recovery_rate_gain": N_("Percentage points by which better service recovery raises the "
                             "recovery rate: 20 means from 50 % to 70 %."),
    "recession_depth": N_("How far spend per customer falls in the recession, in percent: 10 "
                          "means -10 %; 0 means no recession."),
    "self_service_success_lift": N_("Percentage points added to self-service success: 10 "
                                    "means from 9 % to 19 %; at most 100 %."),
    "phone_fcr_lift": N_("Percentage points added to the share of phone requests solved at "
                         "the first contact; at most 100 %."),
    "chat_fcr_lift": N_("Percentage points added to the share of chat requests solved at the "
                        "first contact; at most 100 %."),
    "email_fcr_lift": N_("Percentage points added to the share of email requests solved at "
                         "the first contact; at most 100 %."),
    "matters_removed_share": N_("Requests that no longer arise (better instructions, returns, "
                                "web service), in percent of all requests."),
    "mix_shift_to_self_service": N_("Requests that start with a person (phone, chat, email) "
                                    "moved to start in self-service, in percent of them."),
    "phone_fcr": N_("Phone contacts that solve the request, in percent of phone contacts."),
    "self_service_success": N_("Self-service attempts that fully solve the request, in "
                               "percent (Gartner 2019: about 9 %)."),
    "matters_per_month": N_("Questions, problems and requests customers bring to customer "
                            "service a month, however many contacts each one takes."),
    "effect_realised": N_("How much of the planned effect the initiatives deliver: 1.00 is as "
                          "planned, 0.80 delivers 80 %."),
    "cost_overrun": N_("What the initiatives cost against their budget: 1.00 is as planned, "
                       "1.20 is 20 % more."),
}

#: The unit shown for a box of percentage points.
POINTS_UNIT = N_("percentage points")

#: The page's paragraph: what it models and how to use it.
INTRO = N_(
    "This page works out what a customer-experience change is worth in euros. The values on "
    "the left are the assumptions; the results and the chart on the right follow every "
    "change. Drag a slider, use its arrow keys, or type a number in the box beside it "
    "(percent as percent: 20 for 20 %). \"Reset to scenario\" goes back to where you "
    "started; \"Save as scenario\" keeps your values, and everything else of the scenario, "
    "in a file for a report.")

#: The sentence that tells the base case from the simulation.
BASE_VS_SIMULATION = N_(
    "The amounts are the base case: every uncertain value at its most likely. \"{likely}\" "
    "counts the {cases} simulated cases that draw the uncertain values from their ranges, "
    "so the base case can pay off while many simulated cases do not, or the other way round.")

#: Said under the numbers while a quicker setting is used than the report's.
EXPLORING = {
    "draws": N_("While you explore, the likelihood comes from {now} simulated cases; the "
                "report uses {report}."),
}
EXPLORING_OTHER = N_("While you explore: {name} = {now} (the report uses {report}).")

#: A ratio lever read in words: (as planned, above plan, below plan).
RATIO_READINGS = {
    "cost_overrun": (N_("costs as planned (×{ratio})"), N_("costs {percent} over plan (×{ratio})"),
                     N_("costs {percent} under plan (×{ratio})")),
    "effect_realised": (N_("effects as planned (×{ratio})"),
                        N_("effects {percent} above plan (×{ratio})"),
                        N_("effects {percent} short of plan (×{ratio})")),
}


def words(text: str, language: str | None) -> str:
    """``text`` (English, from the catalogue) in ``language`` (default English)."""
    return translate(text, language or "en")


def lever_label(param: Param, language: str | None = None) -> str:
    """A lever's label in words with the box's unit: ``"Annual churn down by
    (percentage points)"``, ``"Customer-service requests a month"``,
    ``"Gross margin (%)"``; in Finnish from the catalogue."""
    unit = words(POINTS_UNIT, language) if param.name in POINTS else \
        "%" if param.is_share else words(param.unit, language)
    if param.name in LABELS:
        text = words(LABELS[param.name], language)
        return text if param.name == "matters_per_month" else f"{text} ({unit})"
    if not language or language == "en":
        english = english_label(param)
        return english if param.name not in POINTS else f"{english.rsplit(' (', 1)[0]} ({unit})"
    name = words(param.name.replace("_", " "), language)
    name = name[:1].upper() + name[1:]
    return name if name.lower() == unit.lower() else f"{name} ({unit})"


def lever_help(param: Param, language: str | None = None) -> str:
    """What the lever means, in the unit its box uses (never ``0.30 = 30 %``
    beside a box in percent)."""
    if param.name in HELP:
        return words(HELP[param.name], language)
    text = words(param.help, language)
    if param.is_share:  # a fraction's example, e.g. "(0.30 = 30 %)", is the file's unit
        text = re.sub(r"\s*\(0[.,]\d+ = [^)]*\)", "", text)
    return text


def ratio_reading(name: str, ratio: float, language: str | None = None) -> str:
    """A ratio lever in words: ``"costs as planned (×1.00)"``, ``"costs 20 % over
    plan (×1.20)"``; empty for a lever without a reading."""
    if name not in RATIO_READINGS:
        return ""
    same, above, below = RATIO_READINGS[name]
    locale = language or "en"
    shown = f"{ratio:.2f}".replace(".", "," if locale == "fi" else ".")
    if abs(ratio - 1) < 5e-5:
        return words(same, language).format(ratio=shown)
    text = words(above if ratio > 1 else below, language)
    change = abs(ratio - 1)
    whole = abs(change * 100 - round(change * 100)) < 1e-6  # 20 %, not 20.0 %
    return text.format(ratio=shown, percent=percent(change, 0 if whole else 1, locale=locale))


#: Names of the results whose label is a sentence around the number
#: (``"Pays back in month {value}"``): the panel puts the number beside them.
RESULT_NAMES = {
    "npv": N_("Net present value (NPV)"),
    "irr": N_("Internal rate of return (IRR)"),
    "payback_month": N_("Pays back in"),
    "probability_npv_positive": N_("Likelihood of paying off"),
    "respondents": N_("Answers"),
    "months_to_recover_kept": N_("Recovery with the programme"),
    "months_to_recover_cut": N_("Recovery without the programme"),
    "saving_share": N_("Share of the service cost saved"),
}


#: A result's meaning in words where the spec's help is a statistician's.
RESULT_HELP = {
    "probability_npv_positive": N_("Share of the simulated cases in which the net present "
                                   "value is above zero."),
}


def result_name(output: Output, language: str | None = None) -> str:
    """A result's name in words: a name from :data:`RESULT_NAMES` (abbreviations
    spelt out, sentences around the number named), else its label."""
    if output.name in RESULT_NAMES:
        return words(RESULT_NAMES[output.name], language)
    if output.label and "{" not in output.label:
        return words(output.title, language)
    text = output.name.replace("_", " ")
    return words(text[:1].upper() + text[1:], language)


def result_help(output: Output, language: str | None = None) -> str:
    """What a result means, in words (:data:`RESULT_HELP`, else the spec's help)."""
    return words(RESULT_HELP.get(output.name, output.help), language)


def base_vs_simulation(draws: float, language: str | None = None) -> str:
    """The sentence telling the base case (single amounts) from the simulation
    (the likelihood), naming the likelihood's result as the page shows it."""
    name = words(RESULT_NAMES["probability_npv_positive"], language)
    cases = format_number(draws, locale=language or "en")
    return words(BASE_VS_SIMULATION, language).format(likely=name, cases=cases)


def exploring_note(name: str, now: float, report: float, language: str | None = None) -> str:
    """The line under the numbers while a quicker setting than the report's is used."""
    locale = language or "en"
    template = EXPLORING.get(name, EXPLORING_OTHER)
    return words(template, language).format(
        name=name.replace("_", " "), now=format_number(now, locale=locale),
        report=format_number(report, locale=locale))


def result_text(output: Output, value: float | None, language: str | None = None) -> str:
    """A headline number as people read it, in ``language``: ``85,493 EUR per
    year``, ``12.5 %``, ``month 10``; ``-`` where there is none."""
    locale = language or "en"
    if value is None or not math.isfinite(value):
        return "-"
    number, unit = quantity_parts(value, output.unit, locale)
    if output.unit == "month":
        return words(N_("month {value}"), language).format(value=number.split(" ", 1)[-1])
    return f"{number} {words(unit, language) if unit else ''}".strip()


def already_exists(title: str, language: str | None = None) -> str:
    """Said when a saved scenario of that title exists: what to do next."""
    return words(N_("A saved scenario called \"{title}\" already exists: overwrite it, or "
                    "give another title."), language).format(title=title)


def shown_unit(scale: SliderScale) -> str:
    """The unit of a lever's box, as its label ends: ``%``, ``EUR per month``."""
    return scale.label[scale.label.rfind("(") + 1:-1] if scale.label.endswith(")") else ""


#: The panel's other words (buttons, headings, messages), marked for the catalogue.
TEXTS = (
    N_("What if?"), N_("Reset to scenario"),
    N_("Save as scenario"), N_("Overwrite it"), N_("Title of the saved scenario"),
    N_("Notes: why these values"), N_("Results"), N_("Give the scenario a title first."),
    N_("Not saved:"), N_("Not a valid combination:"),
    N_("Saved {path}. Check it with {command} (its report: {report} with the same file)."),
    N_("these values could not be computed ({error})."), N_("Main chart"),
)
