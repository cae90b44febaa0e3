"""The business case's monthly benefit in live formulas, following the model's closed forms.

Sheet **Drivers** walks from the Inputs to what every month uses:
a customer's gross profit a month, the NPS points the mix allows and what a
point does to churn and spend (the promoters' segment arithmetic), today's
monthly survival, the touchpoint's gross profit with every passenger
buying, today's contact-centre cost (the service model's channel
arithmetic at its default mix, which the business case does not ask for)
and each initiative's timing, cost and share of its lever's gap at full effect
(found once by its # on **Initiatives**). Sheet
**Benefit by month** has one row per month: each initiative's ramp, the
shares of each lever's gap left open (a product over the initiatives on it),
the customer base with and without the programme (retention's recursion),
and the customer value, touchpoint value and service saving the **Cash
flows** sheet reads. The same arithmetic as
:func:`cxmodels.models.business_case.cash_flows.programme_flows`.
"""

from __future__ import annotations

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from ....models import business_case as bc
from ....models.business_case import cash_flows
from ....models.service import model as service
from .book import Book, Sheet, kind_of_value, quote_sheet
from ...words.language import N_
from .words import t

#: Columns of the Initiatives sheet the benefit formulas read.
SIZE, ONE_OFF, RUNNING, START, FULL = "H", "I", "J", "K", "L"
#: The service model's settings the business case keeps at their defaults.
SERVICE = cash_flows._SERVICE
#: Their labels on the Drivers sheet.
SERVICE_LABELS = {
    "self_service_share": N_("Share of matters that start in self-service"),
    "self_service_success": N_("Share of self-service attempts that solve the matter"),
    "repeat_abandon_share": N_("Share of unresolved contacts whose customer gives up"),
    "phone_share": N_("Share of matters that start by phone"),
    "chat_share": N_("Share of matters that start in chat"),
    "email_share": N_("Share of matters that start by email"),
    "spill_to_phone_share": N_("Share of failed self-service that moves to phone"),
    "spill_to_chat_share": N_("Share of failed self-service that moves to chat"),
    "spill_to_email_share": N_("Share of failed self-service that moves to email"),
    "phone_fcr": N_("Share of phone contacts resolved at the first contact"),
    "chat_fcr": N_("Share of chat contacts resolved at the first contact"),
    "email_fcr": N_("Share of email contacts resolved at the first contact"),
}
#: Per assisted channel: an fcr initiative's share of the channel's gap, and the gap left by month.
FCR_GAP_CLOSED = {
    "phone": N_("Initiative {number}: share of the phone resolution gap it closes"),
    "chat": N_("Initiative {number}: share of the chat resolution gap it closes"),
    "email": N_("Initiative {number}: share of the email resolution gap it closes"),
}
UNRESOLVED_LEFT = {
    "phone": N_("Share of unresolved phone contacts left"),
    "chat": N_("Share of unresolved chat contacts left"),
    "email": N_("Share of unresolved email contacts left"),
}


def by_id(initiatives: Sheet, column: str, number: int, k: int) -> str:
    """Initiative ``number``'s cell in ``column`` of the Initiatives sheet, found by its # in
    column A (so sorting the Initiatives table moves no cost or effect to another initiative)."""
    sheet = quote_sheet(initiatives.name)
    return f"INDEX({sheet}!${column}$2:${column}${k + 1},MATCH({number},{sheet}!$A$2:$A${k + 1},0))"


def benefit_sheets(book: Book, programme: bc.Programme, params, initiatives: Sheet) -> dict[str, str]:
    """Add Drivers and Benefit by month.

    Returns the month table's sheet name (``"sheet"``), the letters of its
    customer value, touchpoint value and service saving columns, and the
    Drivers cells of each initiative's start month, one-off and running
    cost (``"start0"``, ``"one_off0"``, ``"running0"``, ...), which the cost
    formulas read (each found once by its #, not in every month's formula).
    """
    p = book.inputs
    k = len(programme)
    drivers = book.sheet(t("Drivers"))
    month_sheet = book.sheet(t("Benefit by month"))
    values = _model_terms(programme, params)
    rows: list[tuple[str, str, str, float, str, str]] = [
        # key, label, formula, value, unit, how
        ("margin", t("Gross profit of a customer a month"),
         f"={p['purchases_per_month']}*{p['basket_value']}*{p['gross_margin']}", values["margin"],
         "EUR per customer a month", t("purchases a month x basket value x gross margin")),
        ("passive", t("Passive share today"), f"=1-{p['promoter_share']}-{p['detractor_share']}",
         values["passive"], "share", t("1 - promoter share - detractor share")),
        ("most", t("Most NPS points the mix allows"),
         f"=100*MIN(IF({p['share_from_detractors']}>0,{p['detractor_share']}/{p['share_from_detractors']},"
         f"1E+300),IF({p['share_from_detractors']}<0.5,{{passive}}/(1-2*{p['share_from_detractors']}),1E+300))",
         values["most"], "NPS points",
         t("detractors and passives cannot fall below 0 as the points move people up")),
        ("churn_point", t("Change in churn per NPS point"),
         _per_point(p, "promoter_churn_ratio", "detractor_churn_ratio"), values["churn_point"],
         "x churn per point", t("segments moved per point, weighted by their churn, over today's mix")),
        ("value_point", t("Change in spend per NPS point"),
         _per_point(p, "promoter_order_value_ratio", "detractor_order_value_ratio"), values["value_point"],
         "x spend per point", t("segments moved per point, weighted by their order value, over today's mix")),
        ("survive_today", t("Monthly survival today"), f"=(1-{p['annual_churn']})^(1/12)", values["survive"],
         "share", t("(1 - annual churn) ^ (1/12)")),
        ("everyone", t("Touchpoint gross profit a month if every passenger bought"),
         f"={p['passengers_per_trip']}*{p['spend_per_buyer']}*{p['trips_per_day']}*{p['operating_days']}"
         f"*{p['gross_margin']}/12", values["everyone"], "EUR per month",
         t("passengers x spend x trips a day x days a year x gross margin / 12")),
    ]
    for name in ("self_service_share", "self_service_success", "repeat_abandon_share",
                 *(f"{c}_share" for c in service.ASSISTED), *(f"spill_to_{c}_share" for c in service.ASSISTED),
                 *(f"{c}_fcr" for c in service.ASSISTED)):
        rows.append((name, t(SERVICE_LABELS[name]), f"={SERVICE[name]!r}",
                     SERVICE[name], "share", t("the service model's default (package default)")))
    rows.append(("service_today", t("Contact-centre cost a month today"), _service_today(p), values["service_today"],
                 "EUR per month", t("matters x (self-service share x its cost + assisted cost x "
                                    "contacts a matter takes in each channel)")))
    gaps = {"nps_points": "{most}", "churn_points": p["annual_churn"], "buyer_share": "1",
            "self_service_points": "(1-{self_service_success})", "matters_removed": "1"}
    shares: dict[int, dict[str, str]] = {}
    for i, lever in enumerate(programme.levers):
        number = i + 1
        rows.append((f"start{i}", t("Initiative {number}: start month").format(number=number),
                     f"={by_id(initiatives, START, number, k)}", float(programme.start_month[i]), "month",
                     t("from Initiatives, found by its #")))
        rows.append((f"full{i}", t("Initiative {number}: months to full effect").format(number=number),
                     f"={by_id(initiatives, FULL, number, k)}", float(programme.months_to_full_effect[i]),
                     "months", t("from Initiatives, found by its #")))
        rows.append((f"one_off{i}", t("Initiative {number}: one-off cost").format(number=number),
                     f"={by_id(initiatives, ONE_OFF, number, k)}", float(programme.one_off_cost[i]), "EUR",
                     t("from Initiatives, found by its #")))
        rows.append((f"running{i}", t("Initiative {number}: running cost a month").format(number=number),
                     f"={by_id(initiatives, RUNNING, number, k)}", float(programme.running_cost_per_month[i]),
                     "EUR per month", t("from Initiatives, found by its #")))
        size = f"{by_id(initiatives, SIZE, i + 1, k)}*{p['effect_realised']}"
        rows.append((f"size{i}", t("Initiative {number}: full size with the effect realised").format(number=i + 1),
                     f"={size}", values["size"][i], "lever units",
                     t("lever size on Initiatives x effect realised")))
        channel_gaps = ({c: f"(1-{{{c}_fcr}})" for c in service.ASSISTED} if lever == "fcr_points"
                        else {"": gaps[lever]})
        for channel, gap in channel_gaps.items():
            key = f"share{i}{channel}"
            label = (t("Initiative {number}: share of the gap it closes").format(number=i + 1) if not channel
                     else t(FCR_GAP_CLOSED[channel]).format(number=i + 1))
            rows.append((key, label, f"=IF({gap}>0,MIN({{size{i}}}/{gap},1),0)",
                         values["share"][(i, channel)], "share", t("min(full size / the lever's gap, 1)")))
            shares.setdefault(i, {})[channel] = key
    cells = {key: f"$B${row}" for row, (key, *_rest) in enumerate(rows, start=2)}
    for row, (key, label, formula, value, unit, how) in enumerate(rows, start=1):
        drivers.text(row, 0, label)
        drivers.formula(row, 1, formula.format(**cells), float(value), kind_of_value(unit, value))
        drivers.text(row, 2, t(unit))
        drivers.text(row, 3, how)
    drivers.table(0, [t("Step"), t("Value"), t("Unit"), t("How")], len(rows), sortable=False)
    here = {key: f"{quote_sheet(drivers.name)}!{cell}" for key, cell in cells.items()}
    share_cells = {i: {c: here[key] for c, key in by_channel.items()} for i, by_channel in shares.items()}
    columns = _months(month_sheet, programme, params, p, here, share_cells, initiatives)
    return columns | {key: cell for key, cell in here.items()
                      if key.startswith(("start", "one_off", "running"))}


def _per_point(p: dict[str, str], promoter_ratio: str, detractor_ratio: str) -> str:
    """``mix_average(per point, ratios) / mix_average(today's mix, ratios)``, 0 where the mix is 0."""
    fd = p["share_from_detractors"]
    moved = f"((1-{fd})*{p[promoter_ratio]}+(2*{fd}-1)-{fd}*{p[detractor_ratio]})/100"
    today = f"({p['promoter_share']}*{p[promoter_ratio]}+{{passive}}+{p['detractor_share']}*{p[detractor_ratio]})"
    return f"=IF({today}=0,0,{moved}/{today})"


def _service_today(p: dict[str, str]) -> str:
    """``service_cost_per_month`` at today's resolution, self-service and matters."""
    spilling = "{self_service_share}*(1-{self_service_success})*(1-{repeat_abandon_share})"
    contacts = "+".join(f"({{{c}_share}}+{spilling}*{{spill_to_{c}_share}})"
                        f"/(1-(1-{{{c}_fcr}})*(1-{{repeat_abandon_share}}))" for c in service.ASSISTED)
    return (f"={p['matters_per_month']}*({{self_service_share}}*{p['self_service_cost_per_contact']}"
            f"+{p['assisted_cost_per_contact']}*({contacts}))")


def _months(sheet: Sheet, programme: bc.Programme, params, p: dict[str, str], d: dict[str, str],
            shares: dict[int, dict[str, str]], initiatives: Sheet) -> dict[str, str]:
    """One row per month 0..horizon; returns the letters of the three benefit columns."""
    k = len(programme)
    horizon = int(params["horizon_months"])
    ramp = programme.ramp(horizon)
    names = [t("Month"), *(t("Ramp of initiative {number}").format(number=i + 1) for i in range(k))]
    on = {lever: [i for i, name in enumerate(programme.levers) if name == lever] for lever in bc.LEVERS}

    def left(lever: str, r: int, channel: str = "") -> str:
        """Share of the lever's gap the initiatives on it leave open: prod(1 - ramp x share)."""
        terms = [f"(1-{_col(1 + i)}{r}*{shares[i][channel]})" for i in on[lever]]
        return "*".join(terms) if terms else "1"

    columns = [  # key, header, formula for row r (month in A), kind
        ("nps", t("NPS points gained"), "={most}*(1-(" + "{left_nps})" + ")", "decimal"),
        ("churn", t("Annual churn with the programme"),
         f"=MIN(1,MAX(0,{{left_churn}}*(1+{{nps}}{{r}}*{{churn_point}})*{p['annual_churn']}))", "share"),
        ("survive", t("Monthly survival with the programme"), "=(1-{churn}{r})^(1/12)", "factor"),
        ("with", t("Customers with the programme"),
         f"=IF($A{{r}}=0,{p['starting_customers']},{{with}}{{prev}}*{{survive}}{{r}}+{p['new_customers_per_month']})",
         "decimal"),
        ("without", t("Customers without the programme"),
         f"=IF($A{{r}}=0,{p['starting_customers']},{{without}}{{prev}}*{{survive_today}}"
         f"+{p['new_customers_per_month']})", "decimal"),
        ("spend", t("Spend of a customer relative to today"), "=1+{nps}{r}*{value_point}", "factor"),
        ("customer", t("Customer value"),
         f"=IF(OR($A{{r}}=0,$A{{r}}>{p['horizon_months']}),0,"
         "({with}{r}*{spend}{r}-{without}{r})*{margin})",
         "money"),
        ("buyers", t("Share of passengers buying"), "=1-({left_buyer})", "share"),
        ("touchpoint", t("Touchpoint value"),
         f"=IF(OR($A{{r}}=0,$A{{r}}>{p['horizon_months']}),0,{{buyers}}{{r}}*{{everyone}})", "money"),
        ("self_left", t("Share of self-service failures left"), "={left_self}", "factor"),
        *((f"fcr_{c}", t(UNRESOLVED_LEFT[c]),
           f"={{left_fcr_{c}}}", "factor") for c in service.ASSISTED),
        ("matters_left", t("Share of matters left"), "={left_matters}", "factor"),
        ("service_after", t("Contact-centre cost a month with the programme"), _service_after(p), "money"),
        ("service", t("Service saving"),
         f"=IF(OR($A{{r}}=0,$A{{r}}>{p['horizon_months']}),0,{{service_today}}-{{service_after}}{{r}})", "money"),
    ]
    letters = {key: _col(1 + k + n) for n, (key, *_rest) in enumerate(columns)}
    computed = _month_values(programme, params)
    for month in range(horizon + 1):
        row, r = month + 1, month + 2
        sheet.number(row, 0, month, "month")
        for i in range(k):
            start, full = d[f"start{i}"], d[f"full{i}"]
            sheet.formula(row, 1 + i, f"=IF({full}>0,MAX(0,MIN(1,($A{r}-{start})/{full})),IF($A{r}>{start},1,0))",
                          float(ramp[i, month]), "factor")
        fields = {**letters, **d, "r": r, "prev": r - 1,
                  "left_nps": left("nps_points", r), "left_churn": left("churn_points", r),
                  "left_buyer": left("buyer_share", r), "left_self": left("self_service_points", r),
                  "left_matters": left("matters_removed", r),
                  **{f"left_fcr_{c}": left("fcr_points", r, c) for c in service.ASSISTED}}
        for n, (key, _header, formula, kind) in enumerate(columns):
            if month == 0 and key in ("with", "without"):
                formula = f"={p['starting_customers']}"
            sheet.formula(row, 1 + k + n, formula.format(**fields), float(computed[key][month]), kind)
    sheet.table(0, [*names, *(header for _key, header, *_rest in columns)], horizon + 1, sortable=False,
                wrap_header=True)
    return {key: letters[key] for key in ("customer", "touchpoint", "service")} | {"sheet": sheet.name}


def _service_after(p: dict[str, str]) -> str:
    """The contact-centre cost a month with the levers (``_service_cost_after``'s closed form)."""
    spilling = "{self_left}{r}*{self_service_share}*(1-{self_service_success})*(1-{repeat_abandon_share})"
    contacts = "+".join(f"({{{c}_share}}+{spilling}*{{spill_to_{c}_share}})"
                        f"/(1-{{fcr_{c}}}{{r}}*(1-{{{c}_fcr}})*(1-{{repeat_abandon_share}}))"
                        for c in service.ASSISTED)
    return (f"={p['matters_per_month']}*{{matters_left}}{{r}}*({{self_service_share}}"
            f"*{p['self_service_cost_per_contact']}+{p['assisted_cost_per_contact']}*({contacts}))")


def _col(index: int) -> str:
    return xl_col_to_name(index)


def _gaps(params, most: float) -> dict[str, float]:
    """The gap each lever closes a share of (the fcr lever has one per channel)."""
    return {"nps_points": most, "churn_points": float(params["annual_churn"]), "buyer_share": 1.0,
            "self_service_points": 1.0 - SERVICE["self_service_success"], "matters_removed": 1.0,
            **{f"fcr_points{c}": 1.0 - SERVICE[f"{c}_fcr"] for c in service.ASSISTED}}


def _model_terms(programme: bc.Programme, params) -> dict:
    """The drivers' values, as the model computes them (the cached results of the formulas)."""
    v = {name: float(params[name]) for name in bc.PARAM_SPECS}
    fd = v["share_from_detractors"]
    passive = 1.0 - v["promoter_share"] - v["detractor_share"]
    most = 100.0 * min(v["detractor_share"] / fd if fd > 0 else np.inf,
                       passive / (1.0 - 2.0 * fd) if fd < 0.5 else np.inf)

    def per_point(promoter_ratio: float, detractor_ratio: float) -> float:
        today = v["promoter_share"] * promoter_ratio + passive + v["detractor_share"] * detractor_ratio
        moved = ((1 - fd) * promoter_ratio + (2 * fd - 1) - fd * detractor_ratio) / 100.0
        return moved / today if today else 0.0

    fcr = [SERVICE[f"{c}_fcr"] for c in service.ASSISTED]
    size = programme.size * v["effect_realised"]
    gaps = _gaps(params, most)
    share = {}
    for i, lever in enumerate(programme.levers):
        for channel in (service.ASSISTED if lever == "fcr_points" else ("",)):
            gap = gaps[lever + channel]
            share[(i, channel)] = min(size[i] / gap, 1.0) if gap > 0 else 0.0
    return {
        "margin": v["purchases_per_month"] * v["basket_value"] * v["gross_margin"], "passive": passive,
        "most": most, "churn_point": per_point(v["promoter_churn_ratio"], v["detractor_churn_ratio"]),
        "value_point": per_point(v["promoter_order_value_ratio"], v["detractor_order_value_ratio"]),
        "survive": (1.0 - v["annual_churn"]) ** (1 / 12),
        "everyone": v["passengers_per_trip"] * v["spend_per_buyer"] * v["trips_per_day"]
        * v["operating_days"] * v["gross_margin"] / 12.0,
        "service_today": float(cash_flows.service_cost_per_month(
            v["matters_per_month"], v["assisted_cost_per_contact"], v["self_service_cost_per_contact"],
            fcr, SERVICE["self_service_success"])),
        "size": size, "share": share,
    }


def _month_values(programme: bc.Programme, params) -> dict[str, np.ndarray]:
    """Every column of Benefit by month as the model computes it (the formulas' cached results)."""
    horizon = int(params["horizon_months"])
    model_params = {n: float(params[n]) for n in bc.PARAM_SPECS if n not in bc.SETTINGS}
    terms = cash_flows._terms(programme, horizon, None, model_params)
    flows = bc.programme_flows(programme, horizon, **model_params)
    values = _model_terms(programme, params)
    ramp = programme.ramp(horizon)

    def left(lever: str, channel: str = "") -> np.ndarray:
        out = np.ones(horizon + 1)
        for i, name in enumerate(programme.levers):
            if name == lever:
                out *= 1.0 - ramp[i] * values["share"][(i, channel)]
        return out

    state = terms.state
    survive = np.asarray(terms.survive_after).reshape(-1)[np.minimum(state, np.size(terms.survive_after) - 1)]
    spend = np.asarray(terms.spend_factor).reshape(-1)[np.minimum(state, np.size(terms.spend_factor) - 1)]
    nps = np.asarray(terms.nps_points).reshape(-1)[np.minimum(state, np.size(terms.nps_points) - 1)]
    with_, without = np.empty(horizon + 1), np.empty(horizon + 1)
    with_[0] = without[0] = model_params["starting_customers"]
    for month in range(1, horizon + 1):
        with_[month] = with_[month - 1] * survive[month] + model_params["new_customers_per_month"]
        without[month] = without[month - 1] * values["survive"] + model_params["new_customers_per_month"]
    service_saving = np.asarray(flows.service_saving, dtype=float)
    return {
        "nps": nps, "churn": 1.0 - survive ** 12, "survive": survive, "with": with_, "without": without,
        "spend": spend, "customer": np.asarray(flows.customer_value, dtype=float),
        "buyers": 1.0 - left("buyer_share"), "touchpoint": np.asarray(flows.touchpoint_value, dtype=float),
        "self_left": left("self_service_points"),
        **{f"fcr_{c}": left("fcr_points", c) for c in service.ASSISTED},
        "matters_left": left("matters_removed"),
        "service_after": values["service_today"] - np.where(np.arange(horizon + 1) > 0, service_saving, 0.0),
        "service": service_saving,
    }


#: The units the Drivers sheet shows (translated where shown).
_UNITS = (N_("EUR per customer a month"), N_("NPS points"), N_("x churn per point"), N_("x spend per point"),
          N_("share"), N_("EUR per month"), N_("lever units"), N_("month"), N_("months"), N_("EUR"))
