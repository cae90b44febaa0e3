"""Benchmark: reading a 1,000,000-row survey export, against pandas reading the same file.

Run with ``python benchmarks/bench_surveys.py [ROWS]`` (``make benchmark`` runs
it too). Writes three exports to a temporary folder -- the plain layout (ISO
dates, yes/no), a Google Forms one (``2024/03/01 9:20:09 AM GMT+2``
date-times, question text as headers) and a Qualtrics one (question texts
in German and ImportId objects in two more header rows) -- and times
:func:`cxmodels.models.metrics.load_survey` on each (recognition, every
answer checked, month column) against the baseline ``pandas.read_csv(path,
dtype=str)``, which only reads the text, and the part of it spent finding
extra header rows. Three runs each; min, median, max.
Numbers go in docs/performance.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from cxmodels.inputs.header_rows import find_header_rows
from cxmodels.inputs.surveys import read_cells_any
from cxmodels.models import metrics

ROWS = 1_000_000
RUNS = 3
SEED = 20261128


def exports(folder: Path, rows: int) -> dict[str, Path]:
    rng = np.random.default_rng(SEED)
    when = (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 365 * 86_400, rows), unit="s"))
    nps, ces = rng.integers(0, 11, rows), rng.integers(1, 8, rows)
    resolved = rng.choice(["yes", "no", ""], rows, p=[0.6, 0.3, 0.1])
    channel = rng.choice(["phone", "chat", "email", "store"], rows)
    plain = folder / "plain.csv"
    pd.DataFrame({"response_date": when.strftime("%Y-%m-%d"), "channel": channel,
                  "nps_score": nps, "ces_score (1-7)": ces,
                  "resolved_first_contact": resolved}).to_csv(plain, index=False)
    google = folder / "google_forms.csv"
    pd.DataFrame({"Timestamp": when.strftime("%Y/%m/%d %I:%M:%S %p GMT+2"),
                  "How likely are you to recommend us to a friend or colleague?": nps,
                  "How easy was it to get your matter handled? (1-7)": ces,
                  "Was your matter resolved in your first contact with us?": resolved,
                  "Which channel did you use?": channel}).to_csv(google, index=False)
    qualtrics = folder / "qualtrics_de.csv"
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    header = pd.DataFrame([
        ["Startdatum", "Aufgezeichnetes Datum", "Antwort-ID",
         "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?",
         "Wie einfach war es, Ihr Anliegen zu erledigen? (1-7)",
         "Wurde Ihr Anliegen beim ersten Kontakt gelöst?", "channel"],
        [f'{{"ImportId":"{name}"}}' for name in ("startDate", "recordedDate", "_recordId",
                                                 "QID1", "QID2", "QID3", "channel")]],
        columns=["StartDate", "RecordedDate", "ResponseId", "Q1", "Q2", "Q3", "channel"])
    header.to_csv(qualtrics, index=False)
    pd.DataFrame({"StartDate": stamp, "RecordedDate": stamp,
                  "ResponseId": [f"R_{i:08d}" for i in range(rows)], "Q1": nps, "Q2": ces,
                  "Q3": np.where(resolved == "yes", "1", np.where(resolved == "no", "2", "")),
                  "channel": channel}).to_csv(qualtrics, index=False, header=False, mode="a")
    return {"plain layout": plain, "Google Forms": google, "Qualtrics, German header rows": qualtrics}


def timed(call) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def main(rows: int = ROWS) -> None:
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, pandas {pd.__version__}; {rows:,} rows, {RUNS} runs")
    with tempfile.TemporaryDirectory() as folder:
        for name, path in exports(Path(folder), rows).items():
            survey = metrics.load_survey(path)
            assert len(survey.responses) == rows
            load = timed(lambda: metrics.load_survey(path))
            base = timed(lambda: pd.read_csv(path, dtype=str, keep_default_na=False))
            cells, _ = read_cells_any(path)
            header = timed(lambda: find_header_rows(cells))
            print(f"{name}: load_survey min {min(load):.2f} / median {statistics.median(load):.2f} / "
                  f"max {max(load):.2f} s; read_csv min {min(base):.2f} / median "
                  f"{statistics.median(base):.2f} / max {max(base):.2f} s; ratio of medians "
                  f"{statistics.median(load) / statistics.median(base):.1f}x; of which header "
                  f"rows found in {1000 * statistics.median(header):.0f} ms (median)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
