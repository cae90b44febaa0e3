"""The levers an initiative moves, and how people read their sizes."""

from __future__ import annotations

from dataclasses import dataclass


from ...core.formatting import format_number
from ...core.params import SHARE, Param
from ...core.words import ENGLISH, Words


@dataclass(frozen=True)
class Lever:
    """A lever an initiative moves, and the unit of its size."""

    name: str
    size: Param
    label: str


LEVERS: dict[str, Lever] = {
    lever.name: lever
    for lever in (
        Lever("nps_points", Param("lever_size", "NPS points", 0, 0, 100, "analyst",
                                  "NPS up by this many points (scale -100 to 100)."), "NPS"),
        Lever("churn_points", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                    "Annual churn down by this many points (0.02 = 2 points)."),
              "churn"),
        Lever("buyer_share", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                   "Share of touchpoint passengers who buy (0.05 = 5 %)."),
              "buyers at the touchpoint"),
        Lever("fcr_points", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                  "First-contact resolution up by this many points (phone, chat, email)."),
              "first-contact resolution"),
        Lever("self_service_points", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                           "Self-service success up by this many points."),
              "self-service success"),
        Lever("matters_removed", Param("lever_size", SHARE, 0, 0, 1, "analyst",
                                       "Share of customer matters removed at the source."),
              "matters removed at the source"),
    )
}


def describe_lever(lever: str, size: float, words: Words = ENGLISH) -> str:
    """``("churn_points", 0.02)`` -> ``"churn -2 points"``, as people read it (short
    enough for a chart label)."""
    t, locale = words.t, words.locale
    points = _three(size * 100, locale)
    if lever == "nps_points":
        return t("NPS +{points} points").format(points=format_number(float(f"{size:g}"), locale))
    if lever == "churn_points":
        return t("churn -{points} points").format(points=points)
    if lever == "buyer_share":
        return t("{share} of passengers buy").format(share=f"{points} %")
    if lever == "matters_removed":
        return t("{share} fewer matters").format(share=f"{points} %")
    if lever == "fcr_points":
        return t("FCR +{points} points").format(points=points)
    return t("self-service +{points} points").format(points=points)


def _three(value: float, locale: str) -> str:
    """Three significant digits as ``{:.3g}`` writes them: ``"1.5"`` (``"1,5"`` in Finnish)."""
    return format_number(float(f"{value:.3g}"), locale)


def chart_label(lever: str, size: float, words: Words = ENGLISH) -> str:
    """A lever in a few characters, for a chart's axis: ``"churn -1.5 pts"`` (a
    non-breaking space keeps the number with its unit when the label wraps)."""
    t, locale = words.t, words.locale
    points = _three(size * 100, locale)
    label = {
        "nps_points": t("NPS +{size}").format(size=format_number(float(f"{size:g}"), locale)),
        "churn_points": (t("churn -{points}_pt") if points == "1"
                         else t("churn -{points}_pts")).format(points=points),
        "buyer_share": t("buyers +{points}_%").format(points=points),
        "fcr_points": t("FCR +{points}_pts").format(points=points),
        "self_service_points": t("self-serv. +{points}_pts").format(points=points),
        "matters_removed": t("matters -{points}_%").format(points=points),
    }[lever]
    return label.replace("_", "\u00a0")
