"""A batch's trainings: each network its jobs would train, trained once before they render.

A job without a trajectory trains its network first, as ``nnwarp render`` does. Left to
the jobs, six renders of one network would train it six times (15 s each for the default
explainer's), each in its own throw-away folder. Instead the batch trains every distinct
network once, into the trajectory cache beside the jobs file (``media/trajectories``, where
``nnwarp render`` run in that folder finds it too), and gives each job its network's file.
(It is part of the command line, as every training :mod:`scenes` starts.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from nnmodel.errors import NnwarpError
from scenes.batch.jobs import Job

__all__ = ["Trained", "cache_dir", "cache_name", "train_shared"]


@dataclass(frozen=True)
class Trained:
    """What the batch's trainings gave: each job's trajectory, by its index, and the jobs
    whose training failed, with the reason."""

    paths: dict[int, Path]
    failed: dict[int, str]


def cache_dir(job: Job) -> Path:
    """Where the batch keeps the networks ``job``'s file trains: ``media/trajectories``
    beside it."""
    return job.source.parent / "media" / "trajectories"


def train_shared(jobs: Sequence[Job], note: Callable[[str], None], quiet: bool = False) -> Trained:
    """Train (or find in the cache) the network of every job in ``jobs`` that trains one,
    each distinct network once. ``note`` tells what is done (one line each)."""
    from nnmodel import pipeline, trajectory
    from nnmodel.fileio import check_file_target
    from scenes.cli.commands import run_training

    groups: dict[Path, list[int]] = {}
    preps = {}
    for i, job in enumerate(jobs):
        if job.training is None:
            continue
        try:
            prep = pipeline.prepare(job.training)
        except NnwarpError:
            continue  # (the job's render says what is wrong with its data)
        path = pipeline.cache_path(prep, cache_dir(job))
        groups.setdefault(path, []).append(i)
        preps[path] = prep
    paths: dict[int, Path] = {}
    failed: dict[int, str] = {}
    for path, members in groups.items():
        retrain = any("--retrain" in jobs[i].args for i in members)
        try:
            check_file_target(
                path,
                "the trajectory cache",
                trajectory.is_trajectory_file,
                "trajectory",
                create=True,
            )
        except NnwarpError as exc:
            note(f"note: each job trains its own network: {exc}")
            continue
        n = len(members)
        if not quiet:
            jobs_ = f"{n} job{'s' if n != 1 else ''}"
            if not path.exists():
                note(f"training the network of {jobs_} (once), into {path}")
            elif retrain:
                note(f"training the network of {jobs_} again (--retrain), into {path}")
            elif not pipeline.usable_cache(path):
                note(f"training the network of {jobs_} again (its cached file is stale): {path}")
            else:
                note(f"using cached trajectory {path} for {jobs_}")
        try:
            got, _ = run_training(preps[path], None, path.parent, retrain, quiet)
        except NnwarpError as exc:
            for i in members:
                failed[i] = f"training: {exc}"
            continue
        for i in members:
            paths[i] = got
    return Trained(paths, failed)


def cache_name(argv: Sequence[str]) -> str | None:
    """The file ``nnwarp render ARGV`` would look for in its trajectory cache (``None``:
    it trains nothing, or would refuse its options). A job whose input files were shipped
    to a worker names them by their new paths there, and so its network: the worker finds
    the name here.
    """
    from nnmodel import pipeline
    from scenes.cli.rendering import planned_training, render
    from scenes.cli.story import planned_story_training

    try:
        if argv and argv[0].lower().endswith(".toml"):
            config = planned_story_training(Path(argv[0]))
        else:
            with render.make_context("render", list(argv)) as ctx:
                config = planned_training(ctx)
        return None if config is None else pipeline.cache_path(config, ".").name
    except (click.ClickException, NnwarpError, OSError):
        return None
