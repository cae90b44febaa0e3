"""Write data/sample_survey.csv: an illustrative survey export (not real answers).

Run from the repository root: ``python data/make_sample_survey.py``. Fixed
seed, so the file is the same on any machine with the same numpy.

Assumptions (all illustrative, chosen to look like a service survey):

- 3,000 responses over the 12 months of 2024, 4 channels: phone 35 %,
  chat 25 %, email 20 %, store 20 % of responses.
- First contact resolved ([service]: less likely in digital channels than on
  the phone): phone 78 %, store 82 %, chat 64 %, email 55 %.
- The recommendation score (0-10) depends on resolution: resolved contacts
  answer mostly 8-10, unresolved mostly 3-8; a slow improvement over the year
  (a few NPS points from January to December, within the noise of a month).
- Customer effort on the 1-7 scale (declared in the header,
  ``ces_score (1-7)``; 1 = very easy): about 2.5 when resolved, 4.5 when not.
- 4 % of answers blank per question (missing, not zero); about one response
  in six leaves a free-text comment, some with commas, quotes or line breaks,
  as survey tools export them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEED = 2024
RESPONSES = 3_000
CHANNELS = {"phone": (0.35, 0.78), "chat": (0.25, 0.64), "email": (0.20, 0.55), "store": (0.20, 0.82)}
TOUCHPOINTS = ("order", "delivery", "invoice", "return")
COMMENTS = (
    "Quick and friendly, thanks!",
    "Had to call twice, then it worked.",
    'The agent said "we will call back" but nobody did.',
    "Chat closed while I was typing, annoying.\nSecond try was fine.",
    "Easy.",
    "Couldn't find the return form; the store staff, however, sorted it in a minute.",
    "Invoice was wrong again\n\nPlease fix your system",
)
#: Score distributions (0-10) for resolved and unresolved contacts.
RESOLVED = np.array([0, 0, 0, 0.01, 0.01, 0.02, 0.04, 0.08, 0.22, 0.30, 0.32])
UNRESOLVED = np.array([0.03, 0.03, 0.05, 0.08, 0.10, 0.12, 0.14, 0.15, 0.15, 0.09, 0.06])


def make(path: Path) -> None:
    rng = np.random.default_rng(SEED)
    names = list(CHANNELS)
    channel = rng.choice(names, size=RESPONSES, p=[CHANNELS[n][0] for n in names])
    day = np.sort(rng.integers(0, 366, size=RESPONSES))  # 2024 is a leap year
    dates = np.datetime64("2024-01-01") + day.astype("timedelta64[D]")
    resolved = rng.random(RESPONSES) < np.array([CHANNELS[c][1] for c in channel])
    # Improvement over the year: late in the year a few more answers are "resolved-like".
    resolved_like = resolved | (rng.random(RESPONSES) < 0.25 * day / 365)
    nps = np.where(resolved_like, rng.choice(11, RESPONSES, p=RESOLVED),
                   rng.choice(11, RESPONSES, p=UNRESOLVED))
    ces = np.clip(np.rint(rng.normal(np.where(resolved, 2.5, 4.5), 1.1)), 1, 7).astype(int)
    touchpoint = rng.choice(TOUCHPOINTS, size=RESPONSES)
    comment = np.where(rng.random(RESPONSES) < 1 / 6, rng.choice(COMMENTS, RESPONSES), "")
    blank = rng.random((3, RESPONSES)) < 0.04

    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["response_id", "response_date", "channel", "touchpoint", "nps_score",
                         "ces_score (1-7)", "resolved_first_contact", "comment"])
        for i in range(RESPONSES):
            writer.writerow([
                f"R{i + 1:05d}", str(dates[i]), channel[i], touchpoint[i],
                "" if blank[0, i] else int(nps[i]),
                "" if blank[1, i] else int(ces[i]),
                "" if blank[2, i] else ("yes" if resolved[i] else "no"),
                comment[i],
            ])


if __name__ == "__main__":
    make(Path(__file__).resolve().parent / "sample_survey.csv")
