"""The ``nnwarp`` command line: thin click commands over pure functions."""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from nnmodel import __version__
from nnmodel.activations import HIDDEN_NAMES
from nnmodel.errors import NnwarpError

ACTIVATION_HELP = f"{', '.join(HIDDEN_NAMES)}; one, or one per layer"


def _builtin_datasets() -> dict[str, str]:
    from nnmodel.datasets import BUILTIN

    return BUILTIN


def _check_dataset(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value.lower().endswith((".csv", ".npz")) or os.sep in value:
        if not Path(value).exists():
            raise click.BadParameter(f"data file {value} does not exist", ctx, param)
        return value
    names = _builtin_datasets()
    if value.lower() not in names:
        raise click.BadParameter(
            f"{value!r} is neither a built-in dataset ({', '.join(names)}) nor a .csv/.npz file",
            ctx,
            param,
        )
    return value.lower()


def training_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options that define a training run (shared by ``train`` and ``render``).

    Defaults come from the config dataclasses, so the CLI and the API never disagree.
    """
    from nnmodel.config import DataConfig, ExportConfig, ModelConfig, TrainConfig

    d, m, t, e = DataConfig(), ModelConfig(), TrainConfig(), ExportConfig()
    opts = [
        click.option(
            "-d",
            "--dataset",
            default=d.name,
            show_default=True,
            callback=_check_dataset,
            help="Built-in dataset, or a .csv (x,y,label) / .npz (X, y) file.",
        ),
        click.option("--samples", type=int, default=None, help="Number of points (built-ins)."),
        click.option("--noise", type=float, default=None, help="Noise level (built-ins)."),
        click.option(
            "--arms", type=int, default=d.arms, show_default=True, help="Spiral arms (classes)."
        ),
        click.option(
            "--hidden",
            default=",".join(map(str, m.hidden)),
            show_default=True,
            help="Hidden widths, e.g. 8,8,2 ('' for logistic regression).",
        ),
        click.option(
            "--activation", default=",".join(m.activation), show_default=True, help=ACTIVATION_HELP
        ),
        click.option(
            "--optimizer",
            type=click.Choice(["adam", "sgd"]),
            default=t.optimizer,
            show_default=True,
            help="sgd uses momentum 0.9.",
        ),
        click.option("--lr", type=float, default=t.lr, show_default=True, help="Learning rate."),
        click.option("--epochs", type=int, default=t.epochs, show_default=True),
        click.option(
            "--batch-size", type=int, default=None, help="Mini-batch size (default: full batch)."
        ),
        click.option("--weight-decay", type=float, default=t.weight_decay, show_default=True),
        click.option(
            "--target-loss",
            type=float,
            default=None,
            help="Stop once the training loss is this low.",
        ),
        click.option("--test-fraction", type=float, default=t.test_fraction, show_default=True),
        click.option(
            "--snapshots",
            type=int,
            default=e.snapshots,
            show_default=True,
            help="Snapshot epochs to export.",
        ),
        click.option("--seed", type=int, default=0, show_default=True),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def build_config(kw: dict[str, Any]) -> Any:
    """A validated :class:`~nnmodel.config.RunConfig` from the training options."""
    from nnmodel.config import (
        DataConfig,
        ExportConfig,
        ModelConfig,
        RunConfig,
        TrainConfig,
        parse_activation,
        parse_hidden,
    )

    return RunConfig(
        data=DataConfig(kw["dataset"], kw["samples"], kw["noise"], kw["arms"]),
        model=ModelConfig(parse_hidden(kw["hidden"]), parse_activation(kw["activation"])),
        train=TrainConfig(
            optimizer=kw["optimizer"],
            lr=kw["lr"],
            epochs=kw["epochs"],
            batch_size=kw["batch_size"],
            weight_decay=kw["weight_decay"],
            target_loss=kw["target_loss"],
            test_fraction=kw["test_fraction"],
        ),
        export=ExportConfig(snapshots=kw["snapshots"]),
        seed=kw["seed"],
    )


class _Terminated(KeyboardInterrupt):
    """SIGTERM (what `timeout`, `kill` and a cancelled CI job send), handled like Ctrl-C."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _save_traceback() -> Path:
    """Write the current exception's traceback to a new file in the system's temp folder."""
    import tempfile
    import traceback

    fd, name = tempfile.mkstemp(prefix="nnwarp-error-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"nnwarp {__version__}: {' '.join(sys.argv)}\n\n")
        fh.write(traceback.format_exc())
    return Path(name)


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """One clear line instead of a traceback, for every way a command can end badly.

    nnwarp's own errors print their message (exit 1). Ctrl-C and SIGTERM stop the work
    cleanly: temporary files go, finished outputs stay as they were (exit 130 / 143).
    Anything unexpected prints one line and the file its traceback was saved to
    (``--debug`` shows the traceback instead).
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import signal
        import threading

        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
        try:
            return fn(*args, **kwargs)
        except NnwarpError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt as exc:
            click.echo("\ninterrupted: no output was written or changed", err=True)
            sys.exit(143 if isinstance(exc, _Terminated) else 130)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:
            if _debug():
                raise
            where = _save_traceback()
            raise click.ClickException(
                f"unexpected error ({type(exc).__name__}: {exc}). "
                f"The details are in {where}: please attach it to a bug report "
                "(--debug shows them here)"
            ) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return bool(os.environ.get("NNWARP_DEBUG")) or bool(root and (root.obj or {}).get("debug"))


class _TrainProgress:
    """A one-line training progress display on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, epoch: int, total: int, loss: float) -> None:
        now = time.monotonic()
        if self.enabled and (now - self.last > 0.2 or epoch == total):
            self.last = now
            click.echo(f"\r  training: epoch {epoch}/{total}  loss {loss:.4f}", nl=False, err=True)

    def done(self) -> None:
        if self.enabled and self.last:
            click.echo("", err=True)


def _train(
    prep: Any, out: Path | None, cache_dir: Path, retrain: bool, quiet: bool
) -> tuple[Path, bool]:
    from nnmodel import pipeline

    progress = _TrainProgress(not quiet and sys.stderr.isatty())
    if not quiet and not progress.enabled:
        click.echo(
            f"training {prep.cfg.data.name} for up to {prep.cfg.train.epochs} epochs...", err=True
        )
    try:
        if out is not None:
            return pipeline.train_to_file(prep, out, progress), True
        return pipeline.ensure_trajectory(prep, cache_dir, retrain=retrain, progress=progress)
    finally:
        progress.done()


def _output_path(value: str | None) -> Path | None:
    """``-o`` as given: an empty name is refused here (``Path('')`` would mean '.')."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter(
            "an empty name; give a file name, e.g. -o lesson.mp4", param_hint="-o"
        )
    return Path(value).expanduser()


#: The options that define a training run: meaningless together with --trajectory.
TRAINING_OPTIONS = (
    *("dataset", "samples", "noise", "arms", "hidden", "activation", "optimizer", "lr"),
    *("epochs", "batch_size", "weight_decay", "target_loss", "test_fraction", "snapshots"),
    *("seed", "retrain"),
)


def _given(ctx: click.Context, names: tuple[str, ...]) -> list[str]:
    """The options among ``names`` that the user typed (not left at their defaults)."""
    from click.core import ParameterSource

    typed = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    return ["--" + n.replace("_", "-") for n in names if ctx.get_parameter_source(n) in typed]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="nnwarp")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """nnwarp: explain neural networks with video.

    Train a small network on 2-D data and render how it warps space, layer by layer.
    """
    ctx.obj = {"debug": debug}


@main.command()
@training_options
@click.option("-o", "--output", required=True, help="Trajectory file to write (.npz).")
@click.option("-q", "--quiet", is_flag=True, help="No progress line.")
@user_errors
def train(output: str, quiet: bool, **kw: Any) -> None:
    """Train a network and export its trajectory file."""
    from nnmodel import pipeline, trajectory
    from nnmodel.fileio import check_file_target

    out = _output_path(output)
    assert out is not None
    if out.suffix.lower() != ".npz":
        raise click.BadParameter(
            f"{output}: trajectory files are .npz archives; name it {out.with_suffix('.npz').name}",
            param_hint="-o",
        )
    check_file_target(out, "-o", trajectory.is_trajectory_file, "trajectory")
    prep = pipeline.prepare(build_config(kw))
    path, _ = _train(prep, out, Path("media") / "trajectories", False, quiet)
    s = trajectory.load(path).summary()
    test = "n/a" if s["test_accuracy"] is None else f"{s['test_accuracy']:.1%}"
    click.echo(
        f"trained {s['dataset']} ({' · '.join(s['layers'])}) for {s['epochs_trained']} epochs: "
        f"train accuracy {s['train_accuracy']:.1%}, loss {s['train_loss']:.4f}; "
        f"test accuracy {test}"
    )
    click.echo(str(path))


@main.command()
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
        elif isinstance(value, float):
            value = f"{value:.4f}"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        click.echo(f"{key:>16}: {value}")


@main.command(name="list")
@user_errors
def list_() -> None:
    """List the built-in datasets, scenes and activations."""
    from nnmodel import activations
    from scenes import registry

    scenes = {name: registry.spec(name).description for name in registry.names()}
    for title, table in (
        ("scenes", scenes),
        ("datasets", _builtin_datasets()),
        ("activations", {a.name: a.description for a in activations.ALL}),
    ):
        click.echo(f"{title}:")
        for name, text in table.items():
            click.echo(f"  {name:<12} {text}")


@main.command()
@click.argument("scene", required=False, default="explainer")
@click.option(
    "-q",
    "--quality",
    type=click.Choice(["l", "m", "h", "p", "k"]),
    default="h",
    show_default=True,
    help="Manim's presets: 480p15, 720p30, 1080p60, 1440p60, 2160p60.",
)
@click.option("-p", "--preview", is_flag=True, help="Open the result when done.")
@click.option("-s", "--save-last-frame", is_flag=True, help="Save only the last frame, as PNG.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp4", "webm", "gif", "mov", "png"]),
    default=None,
    help="Output format (default mp4, or from -o's suffix).",
)
@click.option("--fps", type=float, default=None, help="Frame rate (overrides the quality preset).")
@click.option(
    "-r", "--resolution", default=None, help="W,H in pixels (overrides the quality preset)."
)
@click.option(
    "-o",
    "--output",
    default=None,
    help="Write the result exactly here; its suffix picks the format (.mp4, .webm, .gif, .mov)"
    " unless --format is given. --format png writes a folder of frames; -s one .png.",
)
@click.option(
    "--media-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="Where renders and cached trajectories go.",
)
@click.option(
    "--trajectory",
    "trajectory_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Render from this trajectory file instead of training.",
)
@click.option("--retrain", is_flag=True, help="Train again even if a cached trajectory exists.")
@click.option(
    "--epoch",
    type=click.IntRange(min=0),
    default=None,
    help="Show the network at this epoch (default: the last).",
)
@click.option("--merge-bias", is_flag=True, help="Show W·x + b as one step.")
@click.option(
    "--color-by",
    type=click.Choice(["class", "position"]),
    default="class",
    show_default=True,
    help="Colour points by class, or by input position (shows folding).",
)
@click.option("--save-sections", is_flag=True, help="Also write one video per section (chapters).")
@click.option(
    "--section",
    "sections",
    multiple=True,
    help="Render only this section (repeat for several); names as in NAME.sections.json,"
    " e.g. --section 'Layer 2'. It looks exactly as it does inside the whole video.",
)
@click.option(
    "--preset",
    type=click.Choice(
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower"]
    ),
    default=None,
    help="x264 speed preset (default: veryfast; slower ones encode 2-2.5x longer for a little"
    " more fine detail).",
)
@training_options
@user_errors
@click.pass_context
def render(
    ctx: click.Context,
    scene: str,
    quality: str,
    preview: bool,
    save_last_frame: bool,
    fmt: str | None,
    fps: float | None,
    resolution: str | None,
    output: str | None,
    media_dir: Path,
    trajectory_file: Path | None,
    retrain: bool,
    epoch: int | None,
    merge_bias: bool,
    color_by: str,
    save_sections: bool,
    sections: tuple[str, ...],
    preset: str | None,
    **kw: Any,
) -> None:
    """Render SCENE (default: explainer; `nnwarp list` shows them all) as a video.

    Trains the network first (cached under MEDIA_DIR/trajectories) unless --trajectory is given.
    Every output path is checked before any work: nnwarp replaces only files it wrote itself.
    """
    from scenes import registry
    from scenes import render as r

    scene = registry.spec(scene).name
    out = _output_path(output)
    fmt = _choose_format(fmt, out, save_last_frame)
    opts = r.RenderOptions(
        scene=scene.lower(),
        quality=quality,
        fps=fps,
        resolution=r.parse_resolution(resolution) if resolution else None,
        fmt=fmt,
        save_last_frame=save_last_frame,
        output=out,
        media_dir=media_dir,
        save_sections=save_sections,
        preset=preset,
        progress=sys.stderr.isatty(),
        params={
            "epoch": epoch,
            "merge_bias": merge_bias,
            "color_by": color_by,
            **({"sections": list(sections)} if sections else {}),
        },
    )
    if trajectory_file is None:
        trajectory_file = _train_for_render(opts, kw, retrain)
    else:
        clash = _given(ctx, TRAINING_OPTIONS)
        if clash:
            raise click.UsageError(
                f"{', '.join(clash)} {'has' if len(clash) == 1 else 'have'} no effect with "
                "--trajectory (the network in the file is already trained); drop "
                f"{'it' if len(clash) == 1 else 'them'}, or drop --trajectory to train anew"
            )
    if epoch is not None:
        from nnmodel.trajectory import load

        traj = load(trajectory_file)
        shown = int(traj.epochs[traj.snapshot_for_epoch(epoch)])
        if shown != epoch:
            click.echo(
                f"no snapshot at epoch {epoch}; showing the nearest, epoch {shown}", err=True
            )
    result = r.render(trajectory_file, opts)
    for extra in [*result.subtitles, *result.sections]:
        click.echo(f"  wrote {extra}", err=True)
    if preview:
        click.echo(r.preview(result.output), err=True)
    click.echo(str(result.output))


def _choose_format(fmt: str | None, out: Path | None, still: bool) -> str:
    """The format: --format, else -o's suffix, else mp4 (a clear error if -o's is unknown)."""
    from scenes import render as r

    if still:
        if fmt not in (None, "png"):
            raise click.UsageError(f"-s saves one PNG image; drop --format {fmt}")
        return "png"
    if fmt is not None or out is None:
        return fmt or "mp4"
    suffix = out.suffix.lower().lstrip(".")
    if suffix in r.VIDEO_FORMATS:
        return suffix
    if suffix == "png":
        raise click.UsageError(
            f"-o {out}: add -s to save the last frame as a PNG, or --format png with a folder "
            f"name (e.g. -o {out.with_suffix('')}) to save every frame"
        )
    named = f"has the suffix .{suffix}" if suffix else "has no suffix"
    raise click.UsageError(
        f"-o {out} {named}; nnwarp writes {', '.join('.' + f for f in r.VIDEO_FORMATS)} videos "
        "(or a folder of PNG frames with --format png): name it e.g. "
        f"{out.with_suffix('.mp4').name}"
    )


def _train_for_render(opts: Any, kw: dict[str, Any], retrain: bool) -> Path:
    """Train (or reuse the cached trajectory), after checking every output path."""
    from nnmodel import pipeline, trajectory
    from nnmodel.fileio import check_file_target
    from scenes import registry
    from scenes import render as r

    prep = pipeline.prepare(build_config(kw))
    cache_dir = opts.media_dir / "trajectories"
    cached = pipeline.cache_path(prep, cache_dir)
    check_file_target(
        cached, "--media-dir", trajectory.is_trajectory_file, "trajectory", create=True
    )
    r.check_outputs(opts, cached.stem, registry.spec(opts.scene).cls.__name__)
    path, trained = _train(prep, None, cache_dir, retrain, False)
    if not trained:
        click.echo(f"using cached trajectory {path}", err=True)
    return path


if __name__ == "__main__":
    main()
