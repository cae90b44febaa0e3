"""The what-if panel's page: a title and a paragraph, the levers in sections
with headings, each with its meaning, the buttons, and the results beside.

Nothing scrolls inside the page: every section and every slider is on the
page itself (an inner scroll box hid the last levers), and each lever's
meaning is written under it, not left to a tooltip.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from .panel_words import INTRO, words

#: The panel (:class:`cxmodels.interactive.widgets.WhatIfPanel`) whose page is built.
WhatIfPanel = Any

#: Lets the chart shrink with its column (a flex item is as wide as its content
#: by default); sections and meanings read as a page, not as a form.
STYLE = ("<style>.cx-result .widget-html-content {min-width: 0; white-space: normal;}"
         ".cx-headline td {padding: 1px 0;}"
         ".cx-what-if .cx-meaning-text, .cx-what-if .cx-reading, .cx-meaning small, "
         ".cx-base-vs-simulation small {display: block; color: #444; line-height: 1.35; "
         "white-space: normal;}"
         ".cx-what-if .cx-section-heading h4 {margin: 14px 0 2px 0; "
         "border-bottom: 1px solid #ccc;}"
         ".cx-what-if .widget-html-content {white-space: normal;}</style>")


def _lever_row(panel: WhatIfPanel, name: str) -> widgets.Widget:
    scale = panel.scales[name]
    caption = widgets.HTML(f"<b>{html.escape(scale.label)}</b>",
                           layout=widgets.Layout(margin="6px 0 0 0"))
    meaning = widgets.HTML(f"<small class='cx-meaning-text'>{html.escape(scale.help)}</small>",
                           layout=widgets.Layout(margin="0"))
    line = widgets.HBox([panel.sliders[name], panel.boxes[name]],
                        layout=widgets.Layout(width="96%", align_items="center"))
    parts = [caption, meaning, line]
    if name in panel.readings:
        parts.append(panel.readings[name])
    row = widgets.VBox([*parts, panel.notes[name]], layout=widgets.Layout(overflow="visible"))
    row.add_class(f"cx-row-{name}")
    return row


def build(panel: WhatIfPanel, title: str, sections: Sequence[tuple[str, Sequence[str]]]
          ) -> widgets.Widget:
    """The panel's page; sets the panel's save fields, message and overwrite button."""
    language = panel.language
    parts: list[widgets.Widget] = []
    for heading, names in sections:
        if heading:
            head = widgets.HTML(f"<h4>{html.escape(words(heading, language))}</h4>")
            head.add_class("cx-section-heading")
            parts.append(head)
        parts.extend(_lever_row(panel, name) for name in names)
    reset = widgets.Button(description=words("Reset to scenario", language), icon="undo",
                           layout=widgets.Layout(width="auto"))
    reset.on_click(lambda _: panel.reset())
    panel.save_title = widgets.Text(placeholder=words("Title of the saved scenario", language),
                                    layout=widgets.Layout(width="96%"))
    panel.save_notes = widgets.Textarea(placeholder=words("Notes: why these values", language),
                                        layout=widgets.Layout(width="96%", height="54px"))
    save = widgets.Button(description=words("Save as scenario", language), icon="save",
                          layout=widgets.Layout(width="auto"))
    save.on_click(lambda _: panel._save_clicked())
    panel.overwrite = widgets.Button(description=words("Overwrite it", language), icon="save",
                                     layout=widgets.Layout(width="auto", display="none"))
    panel.overwrite.on_click(lambda _: panel._save_clicked(overwrite=True))
    controls = widgets.VBox(parts, layout=widgets.Layout(overflow="visible",
                                                         padding="0 8px 0 0"))
    buttons = widgets.VBox([widgets.HBox([reset, save]), panel.save_title, panel.save_notes,
                            panel.message, panel.overwrite])
    left = widgets.VBox([controls, buttons],
                        layout=widgets.Layout(flex="1 1 280px", min_width="240px",
                                              overflow="visible"))
    results = widgets.HTML(f"<h4 style='margin:4px 0'>{html.escape(words('Results', language))}"
                           "</h4>")
    right = widgets.VBox([results, panel.output],
                         layout=widgets.Layout(flex="2 1 380px", min_width="340px",
                                               overflow="hidden"))
    heading = widgets.HTML(
        f"<h3 class='cx-title' style='margin:4px 0'>{html.escape(words('What if?', language))} "
        f"{html.escape(title)}</h3>"
        f"<p class='cx-intro' style='max-width:60em'>{html.escape(words(INTRO, language))}</p>")
    body = widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap",
                                                             align_items="flex-start",
                                                             overflow="visible"))
    # the page style once, not in every result (a <style> re-inserted on
    # every move makes the browser recompute the styles of the whole page)
    box = widgets.VBox([widgets.HTML(STYLE, layout=widgets.Layout(display="none")),
                        heading, body], layout=widgets.Layout(overflow="visible"))
    box.add_class("cx-what-if")
    return box
