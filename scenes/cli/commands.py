"""The trajectory commands: ``nnwarp train``, ``inspect`` and ``list``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scenes.cli.errors import user_errors
from scenes.cli.options import build_config, builtin_datasets, output_path, training_options
from scenes.render.progress import Bar

if TYPE_CHECKING:
    from nnmodel.pipeline import Prepared

__all__ = ["TrainProgress", "inspect", "list_", "run_training", "train"]


class TrainProgress:
    """The training's progress: the same bar as a render's, in epochs, with the loss."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Bar | None = None
        self.loss: float | None = None

    def __call__(self, epoch: int, total: int, loss: float) -> None:
        if self.bar is None:
            self.bar = Bar(
                total, "epochs", label="training", where=self._where, enabled=self.enabled
            )
        self.loss = loss
        self.bar.set(epoch)

    def _where(self) -> str:
        return "" if self.loss is None else f"loss {self.loss:.4f}"

    def done(self) -> None:
        """End the bar (if one was started)."""
        if self.bar is not None:
            self.bar.close()


def run_training(
    prep: Prepared,
    out: Path | None,
    cache_dir: Path,
    retrain: bool,
    quiet: bool,
    notes: bool | None = None,
) -> tuple[Path, bool]:
    """Train to ``out``, or to (or from) the cache. Returns (path, trained).

    ``quiet``: no progress bar, and (unless ``notes``) no notes about the data.
    """
    from nnmodel import pipeline
    from nnmodel.fileio import begin_work

    begin_work()  # every check is done: a failure from here on is the training's
    progress = TrainProgress(not quiet)
    if (not quiet) if notes is None else notes:
        for check in prep.data_report().checks:
            click.echo(f"note: {check.text}", err=True)
    try:
        if out is not None:
            return pipeline.train_to_file(prep, out, progress), True
        return pipeline.ensure_trajectory(prep, cache_dir, retrain=retrain, progress=progress)
    finally:
        progress.done()


@click.command()
@training_options
@click.option("-o", "--output", required=True, help="Trajectory file to write (.npz).")
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress line (notes about the data still show)."
)
@user_errors
def train(output: str, quiet: bool, **kw: Any) -> None:
    """Train a network and export its trajectory file."""
    from nnmodel import pipeline, trajectory
    from nnmodel.fileio import check_file_target

    out = output_path(output)
    assert out is not None
    if out.suffix.lower() != ".npz":
        raise click.BadParameter(
            f"{output}: trajectory files are .npz archives; name it {out.with_suffix('.npz').name}",
            param_hint="-o",
        )
    check_file_target(out, "-o", trajectory.is_trajectory_file, "trajectory")
    prep = pipeline.prepare(build_config(kw))
    path, _ = run_training(prep, out, Path("media") / "trajectories", False, quiet, notes=True)
    s = trajectory.load(path).summary()
    for finding in (f for f in s["findings"] if f["kind"] == "diverged"):
        click.echo(f"note: {finding['text']}", err=True)
    test = "n/a" if s["test_accuracy"] is None else f"{s['test_accuracy']:.1%}"
    click.echo(
        f"trained {s['dataset']} ({' · '.join(s['layers'])}) for {s['epochs_trained']} epochs: "
        f"train accuracy {s['train_accuracy']:.1%}, loss {s['train_loss']:.4f}; "
        f"test accuracy {test}"
    )
    click.echo(str(path))


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@user_errors
def inspect(file: Path, as_json: bool) -> None:
    """Summarise a trajectory file."""
    from nnmodel import trajectory

    s = trajectory.load(file).summary()
    if as_json:
        click.echo(json.dumps(s, indent=2, ensure_ascii=False))
        return
    for key, value in s.items():
        if key == "snapshot_epochs":
            value = f"{len(value)} snapshots: {value[0]} … {value[-1]}"
        elif key == "standardization":
            value = (
                "no (inputs in their own units)"
                if value is None
                else "; ".join(
                    f"{name} {'+' if v['mean'] < 0 else '−'} {abs(v['mean']):.4g}, ÷ {v['std']:.4g}"
                    for name, v in value.items()
                )
            )
        elif key == "majority_class_accuracy":
            value = f"{value:.4f} (always answering '{s['majority_class']}')"
            key = "majority class"
        elif key == "majority_class":
            continue
        elif key in ("data_checks", "findings"):
            label = "data check" if key == "data_checks" else "finding"
            for item in value:
                click.echo(f"{label:>16}: {item['text']}")
            continue
        elif isinstance(value, float):
            value = f"{value:.4f}"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        click.echo(f"{key:>16}: {value}")


@click.command(name="list")
@user_errors
def list_() -> None:
    """List the scenes, built-in datasets, presets and activations."""
    from nnmodel import activations, presets
    from scenes import registry

    scenes = {name: registry.spec(name).description for name in registry.names()}
    for title, table in (
        ("scenes", scenes),
        ("datasets", builtin_datasets()),
        (
            "presets (render compare --preset)",
            {p.name: p.description for p in presets.PRESETS.values()},
        ),
        ("activations", {a.name: a.description for a in activations.ALL}),
    ):
        click.echo(f"{title}:")
        for name, text in table.items():
            click.echo(f"  {name:<14} {text}")
