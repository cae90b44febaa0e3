"""The service model in live formulas: a month's matters through the channels, six times.

Sheet **Service cost** follows :func:`cxmodels.models.service.model.compute`
column by column: today, then the four levers switched on one after the
other (matters removed at the source, the mix shifted to self-service,
better self-service, higher first-contact resolution), and the last column
with levers 2-4 only (what the target cut is measured against). Each column
walks the same steps as ``channel_flow``: where matters start, failed
self-service spilling to the assisted channels, contacts per matter
``1 / (1 - (1 - FCR)(1 - give-up share))``, then contacts, resolved and
abandoned matters and the cost. The results below the walk read its cells:
the saving by lever is the difference of neighbouring columns (sequential
attribution), so the four add up to the saving.
"""

from __future__ import annotations

import math

import numpy as np

from ....models.service import model as service
from .book import Book, formula_text, kind_of_value
from .generic import PHRASE_LABELS
from .sheets import ReportData, register
from ...words.language import N_
from .words import t

#: Columns of the walk: header, then the lever settings (matters removed, mix shift,
#: self-service lift, FCR lift): each the input's name, or None for "lever off".
STEPS = (
    (N_("Today"), (None, None, None, None)),
    (N_("Lever 1: matters removed at the source"), ("matters_removed_share", None, None, None)),
    (N_("Levers 1-2: mix shifted to self-service"), ("matters_removed_share", "mix_shift_to_self_service",
                                                     None, None)),
    (N_("Levers 1-3: better self-service"), ("matters_removed_share", "mix_shift_to_self_service",
                                             "self_service_success_lift", None)),
    (N_("All four levers"), ("matters_removed_share", "mix_shift_to_self_service",
                             "self_service_success_lift", "fcr_lift")),
    (N_("Levers 2-4 (for the target cut)"), (None, "mix_shift_to_self_service",
                                             "self_service_success_lift", "fcr_lift")),
)
#: Each assisted channel's rows as full phrases (a channel's name inflects in Finnish).
CHANNEL_ROWS = {
    "fcr": {"phone": N_("First-contact resolution on the phone"),
            "chat": N_("First-contact resolution in chat"),
            "email": N_("First-contact resolution by email")},
    "start": {"phone": N_("Share of matters that start on the phone"),
              "chat": N_("Share of matters that start in chat"),
              "email": N_("Share of matters that start by email")},
    "assisted": {"phone": N_("Matters handled on the phone"),
                 "chat": N_("Matters handled in chat"),
                 "email": N_("Matters handled by email")},
    "contacts": {"phone": N_("Phone contacts a month"),
                 "chat": N_("Chat contacts a month"),
                 "email": N_("Email contacts a month")},
}
#: Column letters of the walk's six steps (B..G); unit and explanation follow in H and I.
COLUMNS = "BCDEFG"


@register("service", live_inputs=service.MODEL.param_names)
def service_sheets(book: Book, data: ReportData) -> dict[str, str]:
    """Add the Service cost walk; returns every output's live cell."""
    p = book.inputs
    sheet = book.sheet(t("Service cost"))
    flows = [_flow(data.params, levers) for _header, levers in STEPS]
    rows = _walk_rows(p)
    cells = {key: row for row, (key, *_rest) in enumerate(rows, start=2)}
    for row, (key, label, template, cached, unit, how) in enumerate(rows, start=1):
        sheet.text(row, 0, label, "bold" if key == "cost_year" else None)
        for col, ((_header, levers), flow) in enumerate(zip(STEPS, flows), start=1):
            letter = COLUMNS[col - 1]
            here = {name: f"{letter}{number}" for name, number in cells.items()}
            setting = {lever: ("0" if name is None else p[name])
                       for lever, name in zip(("lever_removed", "lever_shift", "lever_lift"), levers[:3])}
            fcr_lift = {c: ("0" if levers[3] is None else p[f"{c}_fcr_lift"]) for c in service.ASSISTED}
            formula = template.format(**here, **setting, **{f"{c}_lift": v for c, v in fcr_lift.items()},
                                      **{name: p[name] for name in service.MODEL.param_names})
            value = cached(flow, data.params, levers)
            sheet.formula(row, col, formula, value, kind_of_value(unit, value))
        sheet.text(row, 7, t(unit))
        sheet.text(row, 8, how)
    sheet.table(0, [t("Step"), *(t(header) for header, _levers in STEPS), t("Unit"), t("How")],
                len(rows), sortable=False)
    return _results(sheet, p, data, len(rows) + 2, cells)


def _flow(params, levers) -> service.ServiceResult:
    """The package's run with only this column's levers on (for the cached values)."""
    switched = dict(params)
    off = {"matters_removed_share": levers[0] is None, "mix_shift_to_self_service": levers[1] is None,
           "self_service_success_lift": levers[2] is None}
    for name, is_off in off.items():
        if is_off:
            switched[name] = 0.0
    if levers[3] is None:
        for c in service.ASSISTED:
            switched[f"{c}_fcr_lift"] = 0.0
    return service.compute(**switched)


def _walk_rows(p):
    """(key, label, formula template, cached value, unit, how) of each step of the walk."""
    def assisted(c):
        return f"{{matters}}*{{start_{c}}}+{{self_failed}}*(1-{{repeat_abandon_share}})*{{spill_to_{c}_share}}"

    def flow_value(field, index=None):
        def cached(result, _params, _levers):
            values = np.asarray(getattr(result.flow_after, field), dtype=float)
            return float(values.sum() if index is None else values[index])
        return cached

    def setting(name, lever_index):
        def cached(_result, params, levers):
            return 0.0 if levers[lever_index] is None else float(params[name])
        return cached

    def capped(base, lift_name, lever_index):
        def cached(_result, params, levers):
            lift = 0.0 if levers[lever_index] is None else float(params[lift_name])
            return min(float(params[base]) + lift, 1.0)
        return cached

    def start_share(index):
        def cached(result, _params, _levers):
            starting = np.asarray(result.flow_after.starting, dtype=float)
            total = starting.sum()
            return float(starting[index] / total) if total > 0 else math.nan
        return cached

    rows = [
        ("matters", t("Matters a month"), "={matters_per_month}*(1-{lever_removed})", flow_value("starting"),
         "matters per month", t("matters a month x (1 - share removed at the source)")),
        ("shift", t("Share of assisted starts moved to self-service"), "={lever_shift}",
         setting("mix_shift_to_self_service", 1), "share", t("lever 2 (0 where it is off)")),
        ("success", t("Self-service success"), "=MIN({self_service_success}+{lever_lift},1)",
         capped("self_service_success", "self_service_success_lift", 2), "share",
         t("success + lever 3, at most 100 %")),
    ]
    for c in service.ASSISTED:
        rows.append((f"fcr_{c}", t(CHANNEL_ROWS["fcr"][c]),
            f"=MIN({{{c}_fcr}}+{{{c}_lift}},1)", capped(f"{c}_fcr", f"{c}_fcr_lift", 3), "share",
            t("resolution rate + lever 4, at most 100 %")))
    for index, c in enumerate(service.ASSISTED):
        rows.append((f"start_{c}", t(CHANNEL_ROWS["start"][c]),
            f"={{{c}_share}}*(1-{{shift}})", start_share(index), "share",
            t("start share x (1 - the mix shift)")))
    rows += [
        ("start_self", t("Share of matters that start in self-service"),
         "={self_service_share}+({phone_share}+{chat_share}+{email_share})*{shift}", start_share(3), "share",
         t("self-service share + the assisted shares x the mix shift")),
        ("self_started", t("Matters started in self-service"), "={matters}*{start_self}",
         flow_value("starting", 3), "matters per month", t("matters x self-service start share")),
        ("self_failed", t("Failed self-service attempts"), "={self_started}*(1-{success})",
         lambda r, _p, _l: float(np.asarray(r.flow_after.starting)[3]
                                 - np.asarray(r.flow_after.resolved)[3]),
         "matters per month", t("self-service attempts x (1 - success)")),
    ]
    for index, c in enumerate(service.ASSISTED):
        rows.append((f"assisted_{c}", t(CHANNEL_ROWS["assisted"][c]),
                     "=" + assisted(c),
                     lambda r, _p, _l, i=index: float(np.asarray(r.flow_after.starting)[i]
                                                      + np.asarray(r.flow_after.spilled_in)[i]),
                     "matters per month",
                     t("matters starting there + failed self-service that does not give up x spill share")))
    for index, c in enumerate(service.ASSISTED):
        rows.append((f"contacts_{c}", t(CHANNEL_ROWS["contacts"][c]),
                     f"={{assisted_{c}}}/(1-(1-{{fcr_{c}}})*(1-{{repeat_abandon_share}}))",
                     flow_value("contacts", index), "contacts per month",
                     t("matters / (1 - (1 - resolution rate) x (1 - give-up share)): repeats included")))
    contacts = "+".join(f"{{contacts_{c}}}" for c in service.ASSISTED)
    rows += [
        ("contacts", t("Contacts a month, all channels"), f"={contacts}+{{self_started}}",
         flow_value("contacts"), "contacts per month", t("assisted contacts + self-service attempts")),
        ("resolved", t("Matters resolved a month"),
         "=" + "+".join(f"{{contacts_{c}}}*{{fcr_{c}}}" for c in service.ASSISTED)
         + "+{self_started}*{success}", flow_value("resolved"), "matters per month",
         t("contacts x resolution rate, + self-service successes")),
        ("abandoned", t("Matters given up a month"),
         "=" + "+".join(f"{{contacts_{c}}}*(1-{{fcr_{c}}})*{{repeat_abandon_share}}" for c in service.ASSISTED)
         + "+{self_failed}*{repeat_abandon_share}", flow_value("abandoned"), "matters per month",
         t("unresolved contacts and failed self-service x give-up share")),
        ("cost_month", t("Service cost a month"),
         "=" + "+".join(f"{{contacts_{c}}}*{{{c}_cost_per_contact}}" for c in service.ASSISTED)
         + "+{self_started}*{self_service_cost_per_contact}", flow_value("cost"), "EUR per month",
         t("contacts x cost per contact, every channel")),
        ("cost_year", t("Service cost a year"), "=12*{cost_month}",
         lambda r, _p, _l: 12.0 * float(np.asarray(r.flow_after.cost).sum()), "EUR per year",
         t("a month's cost x 12")),
    ]
    return rows


def _results(sheet, p: dict[str, str], data: ReportData, first: int, cells: dict[str, int]) -> dict[str, str]:
    """The model's outputs below the walk, each a formula over its columns."""
    def cell(key: str, step: int) -> str:
        return f"${COLUMNS[step]}${cells[key]}"

    before, after, others = 0, 4, 5
    r = data.result
    no_resolved = formula_text(t("no matter resolved"))

    def per_resolved(step: int) -> str:
        cost, resolved = cell("cost_month", step), cell("resolved", step)
        return f"=IF({resolved}>0,{cost}/{resolved},IF({cost}>0,{no_resolved},0))"

    lost = f"12*{p['churn_after_unresolved']}*{p['value_per_lost_customer']}"
    outputs = [
        ("cost_per_year_before", f"={cell('cost_year', before)}"),
        ("cost_per_year_after", f"={cell('cost_year', after)}"),
        ("saving_per_year", f"={cell('cost_year', before)}-{cell('cost_year', after)}"),
        ("saving_share", f"=IF({cell('cost_year', before)}>0,"
                         f"({cell('cost_year', before)}-{cell('cost_year', after)})/{cell('cost_year', before)},0)"),
        ("saving_removed_at_source", f"={cell('cost_year', 0)}-{cell('cost_year', 1)}"),
        ("saving_mix_shift", f"={cell('cost_year', 1)}-{cell('cost_year', 2)}"),
        ("saving_self_service", f"={cell('cost_year', 2)}-{cell('cost_year', 3)}"),
        ("saving_fcr", f"={cell('cost_year', 3)}-{cell('cost_year', 4)}"),
        ("contacts_per_month_before", f"={cell('contacts', before)}"),
        ("contacts_per_month_after", f"={cell('contacts', after)}"),
        ("cost_per_resolved_matter_before", per_resolved(before)),
        ("cost_per_resolved_matter_after", per_resolved(after)),
        ("target_saving_per_year",
         f"={p['target_cost_cut']}*{cell('cost_year', before)}"),
        ("matters_removed_for_target",
         f"=MIN(MAX(IF({cell('cost_year', others)}>0,1-(1-{p['target_cost_cut']})"
         f"*{cell('cost_year', before)}/{cell('cost_year', others)},0),0),1)"),
        ("retention_gain_per_year",
         f"=({cell('abandoned', before)}-{cell('abandoned', after)})*{lost}"),
    ]
    units = {output.name: output for output in data.model.outputs}
    sheet.header(first, [t("Result"), t("Value"), t("Unit"), t("Meaning")])
    live = {}
    for row, (name, formula) in enumerate(outputs, start=first + 1):
        output = units[name]
        value = float(np.asarray(getattr(r, name)))
        sheet.text(row, 0, t(PHRASE_LABELS.get(output.title, output.title)), "bold")
        sheet.formula(row, 1, formula, value if math.isfinite(value) else t("no matter resolved"),
                      kind_of_value(output.unit, value))
        sheet.text(row, 2, t(output.unit))
        sheet.text(row, 3, t(output.help))
        live[name] = sheet.ref(row, 1)
    # The model's rules as formulas: calc refuses such shares, the walk would still compute.
    yes, no = formula_text(t("yes")), formula_text(t("NO: cxmodels refuses these shares"))
    for row, (label, names) in enumerate(
            ((t("The channel shares sum to 100 %"), ("phone_share", "chat_share", "email_share",
                                                      "self_service_share")),
             (t("The spill shares sum to 100 %"), ("spill_to_phone_share", "spill_to_chat_share",
                                                    "spill_to_email_share"))),
            start=first + len(outputs) + 2):
        total = "+".join(p[name] for name in names)
        sheet.text(row, 0, label, "bold")
        sheet.formula(row, 1, f"=IF(ABS({total}-1)<=0.000001,{yes},"
                              f"{no})", t("yes"), None)
    return live
