"""`cxmodels sweep --executor dask`: blocks as futures on a cluster, the same results."""

import numpy as np
import pandas as pd
import pytest

from cxmodels.cli import main
from cxmodels.reporting.sweep import run_sweep

distributed = pytest.importorskip("distributed")


def test_a_sweep_on_a_local_cluster_equals_the_one_here(tmp_path):
    rng = np.random.default_rng(5)
    rows = 2_000
    pd.DataFrame({
        "store": [f"S{i}" for i in range(rows)],
        "buyers_per_trip": rng.uniform(1, 10, rows),
        "spend_per_buyer": rng.uniform(5, 40, rows),
        "horizon_months": rng.integers(6, 60, rows),
    }).to_csv(tmp_path / "t.csv", index=False)
    here = run_sweep("touchpoint", tmp_path / "t.csv", tmp_path / "here", chunk_rows=300)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster:
        there = run_sweep("touchpoint", tmp_path / "t.csv", tmp_path / "there", executor="dask",
                          scheduler=cluster.scheduler_address, chunk_rows=300)
    assert there.rows == here.rows == rows
    for name in ("results.csv", "results.parquet"):
        assert (tmp_path / "here" / name).read_bytes() == (tmp_path / "there" / name).read_bytes()


def test_dask_without_a_scheduler_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "t.csv").write_text("gross_margin\n0.3\n", encoding="utf-8")
    assert main(["sweep", "touchpoint", "--table", str(tmp_path / "t.csv"), "-o",
                 str(tmp_path / "out"), "--executor", "dask"]) == 2
    assert "needs --scheduler" in capsys.readouterr().err
