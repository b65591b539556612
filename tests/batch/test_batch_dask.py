"""A real local Dask cluster (a scheduler and two worker processes on 127.0.0.1)."""

from __future__ import annotations

import functools
import json
import operator
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from scenes.batch import pool
from scenes.batch.pool import DaskBackend, schedule
from scenes.cli.batch import batch
from scenes.render.outputs import is_ours
from tests.batch.training_fakes import install_fake_training

distributed = pytest.importorskip("distributed")

JOBS = """
[[job]]
scene = "warp"
trajectory = "t.npz"
quality = "l"
resolution = "160,90"
fps = 5
output = "warp.mp4"

[[job]]
scene = "evolution"
trajectory = "t.npz"
save-last-frame = true
resolution = "160,90"
output = "evolution.png"
"""


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The scheduler's address. A task whose worker dies is given up at once (Dask's own
    retries would only slow the killed-worker test down), and a worker holds only the task
    it runs (so no other task dies with it)."""
    import dask

    config = {
        "distributed.scheduler.allowed-failures": 0,
        "distributed.scheduler.worker-saturation": 1.0,
    }
    with (
        dask.config.set(config),
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as local,
    ):
        yield str(local.scheduler_address)


def test_a_batch_runs_on_the_cluster(cluster: str, tmp_path: Path, one_layer_traj: Path) -> None:
    shutil.copy(one_layer_traj, tmp_path / "t.npz")
    (tmp_path / "jobs.toml").write_text(JOBS)
    result = CliRunner().invoke(batch, ["--cluster", cluster, str(tmp_path / "jobs.toml")])
    assert result.exit_code == 0, result.output
    for name in ["warp.mp4", "warp.srt", "warp.vtt", "warp.sections.json", "evolution.png"]:
        assert is_ours(tmp_path / name), name
    assert "batch: 2 rendered of 2 jobs in" in result.stderr
    assert f"on the Dask cluster at {cluster}" in result.stderr


def test_the_scheduler_address_may_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "CONNECT_TIMEOUT", 1.0)
    (tmp_path / "t.npz").write_bytes(b"never read: the address is wrong")
    (tmp_path / "jobs.toml").write_text('[[job]]\ntrajectory = "t.npz"\n')
    address = f"tcp://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(
        batch, [str(tmp_path / "jobs.toml")], env={"DASK_SCHEDULER_ADDRESS": address}
    )
    assert result.exit_code == 2  # refused before any job ran
    assert f"no Dask scheduler answered at {address} within 1 s" in result.output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens there any more


def test_an_address_that_does_not_answer_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pool, "CONNECT_TIMEOUT", 1.0)
    (tmp_path / "t.npz").write_bytes(b"never read")
    (tmp_path / "jobs.toml").write_text('[[job]]\ntrajectory = "t.npz"\noutput = "a.mp4"\n')
    address = f"tcp://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(batch, ["--cluster", address, str(tmp_path / "jobs.toml")])
    assert result.exit_code == 2  # refused before any job ran
    assert result.output.strip() == (
        f"Error: no Dask scheduler answered at {address} within 1 s; nothing was rendered: "
        "check --cluster (or DASK_SCHEDULER_ADDRESS), or start one with `dask scheduler`"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml", "t.npz"]


def test_a_job_whose_worker_dies_is_retried_once_then_reported(cluster: str) -> None:
    tasks: list[Any] = [
        functools.partial(os._exit, 1),  # kills the worker running it, each time
        functools.partial(int, "7"),
        functools.partial(int, "8"),
    ]
    reported: dict[int, tuple[Any, str | None]] = {}

    def on_done(i: int, result: Any, error: str | None) -> None:
        reported[i] = (result, error)

    backend = DaskBackend(cluster, fn=operator.call)
    schedule(len(tasks), tasks.__getitem__, backend, on_done)
    assert reported[1] == (7, None) and reported[2] == (8, None)
    assert reported[0] == (
        None,
        "the cluster's worker rendering it died (killed, or out of memory?), on both tries",
    )


def _alive_warm_processes() -> int:
    from scenes.batch import run

    return sum(1 for z in run._zygotes if z.poll() is None)


def test_every_worker_thread_has_a_warm_process_before_its_first_job() -> None:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=2, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as fresh:
        address = str(fresh.scheduler_address)
        with distributed.Client(address, set_as_default=False) as client:
            assert set(client.run(_alive_warm_processes).values()) == {0}  # no job yet
            thread = pool.prewarm_cluster(address)
            thread.join(60)
            assert not thread.is_alive()
            assert set(client.run(_alive_warm_processes).values()) == {2}  # one a thread


def test_a_cluster_that_does_not_answer_warms_nothing_and_says_nothing() -> None:
    thread = pool.prewarm_cluster(f"tcp://127.0.0.1:{free_port()}", timeout=1.0)
    thread.join(10)
    assert not thread.is_alive()  # (DaskBackend is the one to report it)


def test_a_job_trained_by_the_batch_finds_its_network_on_the_worker(
    cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data file is shipped to the worker under a new path, which is part of the
    network's cache name there: the worker names the shipped trajectory as its render will
    look for it, and does not train."""
    import numpy as np

    trainings = install_fake_training(monkeypatch)
    rng = np.random.default_rng(0)
    rows = [f"{x:.3f},{y:.3f},{int(x > y)}" for x, y in rng.normal(size=(60, 2))]
    (tmp_path / "points.csv").write_text("x,y,label\n" + "\n".join(rows) + "\n")
    (tmp_path / "jobs.toml").write_text(
        '[[job]]\nscene = "warp"\ndataset = "points.csv"\nhidden = "3"\nepochs = 5\n'
        'resolution = "96,54"\nfps = 2\nsection = "Layer 1"\noutput = "a.mp4"\n'
    )
    result = CliRunner().invoke(batch, ["--cluster", cluster, str(tmp_path / "jobs.toml")])
    assert result.exit_code == 0, result.output
    assert len(trainings) == 1
    beats = json.loads((tmp_path / "a.sections.json").read_text())["beats"]
    linear = next(b for b in beats if b["id"] == "layer-1.linear")
    assert "3-D" not in linear["subcaption"], "the worker trained the job's network itself"
