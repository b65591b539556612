"""``nnwarp batch``: many renders in one command, on local processes or a Dask cluster."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from scenes.cli.errors import user_errors

__all__ = ["batch"]

#: The exit status counts failed jobs, up to this.
MAX_STATUS = 100


@click.command()
@click.argument(
    "paths", nargs=-1, required=True, metavar="PATH...", type=click.Path(dir_okay=False)
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Local worker processes (default: one per core); each job renders in a new one.",
)
@click.option(
    "--cluster",
    default=None,
    envvar="DASK_SCHEDULER_ADDRESS",
    metavar="ADDRESS",
    help="Run the jobs on this Dask cluster (e.g. tcp://host:8786; default: "
    "$DASK_SCHEDULER_ADDRESS); needs pip install 'nnwarp[dask]' here and on the workers.",
)
@click.option(
    "--force", is_flag=True, help="Render every job, even those finished before and unchanged."
)
@click.option("--quiet", is_flag=True, help="No progress bar; only failures and the summary.")
@user_errors
@click.pass_context
def batch(
    ctx: click.Context,
    /,
    paths: tuple[str, ...],
    workers: int | None,
    cluster: str | None,
    force: bool,
    quiet: bool,
) -> None:
    """Render many videos: each PATH is a jobs file or a story file (TOML).

    A jobs file holds [[job]] tables whose keys are `nnwarp render`'s long options
    (scene = "warp", trajectory = "t.npz", quality = "l", output = "a.mp4", merge-bias =
    true), paths relative to the file; a story file is one job. Every job and output is
    checked before any work. Jobs without a trajectory share their training: each
    network is trained once, into media/trajectories beside the jobs file. Jobs finished
    before (same options, same input files) are skipped. A failed job does not stop the
    others: the exit status is the number of failed jobs.
    """
    from scenes.batch.runner import BatchOptions, BatchReport, run_batch

    if workers is not None and cluster:
        if ctx.get_parameter_source("cluster") == ParameterSource.ENVIRONMENT:
            cluster = None  # --workers typed here: the local pool, whatever the environment
        else:
            raise click.UsageError(
                "--workers sets the local pool; a cluster runs jobs on its own workers: "
                "drop one of --workers, --cluster"
            )
    if cluster is not None and not cluster.strip():
        cluster = None
    opts = BatchOptions(workers=workers, cluster=cluster, force=force, quiet=quiet)
    report = BatchReport()
    try:
        run_batch([Path(p) for p in paths], opts, shown=list(paths), report=report)
    except KeyboardInterrupt as exc:
        done = report.count("rendered")
        click.echo(
            f"\ninterrupted: {done} finished job{'s were' if done != 1 else ' was'} written; "
            "the others wrote nothing",
            err=True,
        )
        # A subclass of KeyboardInterrupt is SIGTERM (scenes.cli.errors): exit as 143.
        ctx.exit(130 if type(exc) is KeyboardInterrupt else 143)
    click.echo(report.summary(), err=True)
    for entry in report.jobs:
        if entry.status in ("rendered", "skipped"):
            click.echo(str(entry.job.output))
    ctx.exit(min(report.failed, MAX_STATUS))
