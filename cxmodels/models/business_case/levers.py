"""The levers an initiative moves, and how people read their sizes."""

from __future__ import annotations

from dataclasses import dataclass


from ...core.params import SHARE, Param


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


def describe_lever(lever: str, size: float) -> str:
    """``("churn_points", 0.02)`` -> ``"churn -2 points"``, as people read it (short
    enough for a chart label)."""
    if lever == "nps_points":
        return f"NPS +{size:g} points"
    if lever == "churn_points":
        return f"churn -{size * 100:.3g} points"
    if lever == "buyer_share":
        return f"{size * 100:.3g} % of passengers buy"
    if lever == "matters_removed":
        return f"{size * 100:.3g} % fewer matters"
    if lever == "fcr_points":
        return f"FCR +{size * 100:.3g} points"
    return f"self-service +{size * 100:.3g} points"


def chart_label(lever: str, size: float) -> str:
    """A lever in a few characters, for a chart's axis: ``"churn -1.5 pts"`` (a
    non-breaking space keeps the number with its unit when the label wraps)."""
    points = f"{size * 100:.3g}"
    label = {
        "nps_points": f"NPS +{size:g}",
        "churn_points": f"churn -{points}_pt{'' if points == '1' else 's'}",
        "buyer_share": f"buyers +{points}_%",
        "fcr_points": f"FCR +{points}_pts",
        "self_service_points": f"self-serv. +{points}_pts",
        "matters_removed": f"matters -{points}_%",
    }[lever]
    return label.replace("_", "\u00a0")
