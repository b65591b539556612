"""The options commands share: training options, ``build_config``, ``-o`` and the format."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from nnmodel.activations import HIDDEN_NAMES

if TYPE_CHECKING:
    from nnmodel.config import RunConfig

__all__ = [
    "ACTIVATION_HELP",
    "PROCESSES",
    "TRAINING_OPTIONS",
    "EnvOption",
    "build_config",
    "builtin_datasets",
    "choose_format",
    "given",
    "output_path",
    "training_options",
]

F = TypeVar("F", bound=Callable[..., Any])

ACTIVATION_HELP = f"{', '.join(HIDDEN_NAMES)}; one, or one per layer"

#: The options that define a training run: meaningless together with --trajectory.
TRAINING_OPTIONS = (
    *("dataset", "columns", "standardize", "samples", "noise", "arms", "hidden", "activation"),
    *("optimizer", "lr"),
    *("epochs", "batch_size", "weight_decay", "target_loss", "test_fraction", "snapshots"),
    *("seed", "retrain"),
)


class EnvOption(click.Option):
    """An option that an environment variable may set: a bad value from there is blamed
    on the variable, with the values it takes (``NNWARP_JOBS=abc``), not on the flag
    nobody typed. ``takes`` says those values in words, ``unset`` what unsetting it gives.
    """

    def __init__(self, *args: Any, takes: str, unset: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.takes = takes
        self.unset = unset

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        from click.core import ParameterSource

        from scenes.cli.errors import Refused

        try:
            return super().process_value(ctx, value)
        except click.BadParameter:
            if ctx.get_parameter_source(str(self.name)) != ParameterSource.ENVIRONMENT:
                raise
            raise Refused(self.env_message()) from None

    def env_message(self) -> str:
        """The line for a bad value of the environment variable: its name and value, the
        option it sets, and the values it takes."""
        names = [self.envvar] if isinstance(self.envvar, str) else list(self.envvar or ())
        var = next((n for n in names if n in os.environ), names[0] if names else "?")
        flags = "/".join(self.opts + self.secondary_opts)
        return (
            f"the environment variable {var} is {os.environ.get(var, '')!r}: it sets {flags} "
            f"and takes {self.takes}; change it or unset it ({self.unset})"
        )


class _Processes(click.types.IntParamType):
    """``-j``: a number of processes, 1 or more."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        jobs = int(super().convert(value, param, ctx))
        if jobs < 1:
            self.fail(
                f"{jobs} processes cannot render anything; give 1 or more (1: no other process)",
                param,
                ctx,
            )
        return jobs


#: The type of ``-j``: a whole number of processes, 1 or more.
PROCESSES = _Processes()


def builtin_datasets() -> dict[str, str]:
    """The built-in datasets: name → one-line description."""
    from nnmodel.datasets import BUILTIN

    return BUILTIN


def _check_dataset(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if value.lower().endswith((".csv", ".npz")) or os.sep in value:
        if not Path(value).exists():
            raise click.BadParameter(f"data file {value} does not exist", ctx, param)
        return value
    names = builtin_datasets()
    if value.lower() not in names:
        raise click.BadParameter(
            f"{value!r} is neither a built-in dataset ({', '.join(names)}) nor a .csv/.npz file",
            ctx,
            param,
        )
    return value.lower()


def training_options(fn: F) -> F:
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
        click.option(
            "--columns",
            default=None,
            metavar="A,B,LABEL",
            help="A CSV's two feature columns and its label column, by name or by position "
            "from 0 (default x,y,label).",
        ),
        click.option(
            "--standardize/--no-standardize",
            default=None,
            help="Scale each input column to mean 0, standard deviation 1 (on the training "
            "points) before the first layer. Default: yes for files, no for built-ins.",
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
            help="Hidden widths, e.g. 8,8,2 ('' or 0 for logistic regression: no hidden layer).",
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


def build_config(kw: dict[str, Any]) -> RunConfig:
    """A validated :class:`~nnmodel.config.RunConfig` from the training options."""
    from nnmodel.config import (
        DataConfig,
        ExportConfig,
        ModelConfig,
        RunConfig,
        TrainConfig,
        parse_activation,
        parse_columns,
        parse_hidden,
    )

    columns = None if kw.get("columns") is None else parse_columns(kw["columns"])
    return RunConfig(
        data=DataConfig(
            kw["dataset"],
            kw["samples"],
            kw["noise"],
            kw["arms"],
            columns=columns,
            standardize=kw.get("standardize"),
        ),
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


def output_path(value: str | None) -> Path | None:
    """``-o`` as given: an empty name is refused here (``Path('')`` would mean '.')."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter(
            "an empty name; give a file name, e.g. -o lesson.mp4", param_hint="-o"
        )
    return Path(value).expanduser()


def given(ctx: click.Context, names: tuple[str, ...]) -> list[str]:
    """The options among ``names`` that the user typed (not left at their defaults)."""
    from click.core import ParameterSource

    typed = (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)
    return ["--" + n.replace("_", "-") for n in names if ctx.get_parameter_source(n) in typed]


def choose_format(fmt: str | None, out: Path | None, still: bool) -> str:
    """The format: --format, else -o's suffix, else mp4 (a clear error if -o's is unknown).

    >>> choose_format(None, Path("lesson.webm"), False), choose_format(None, None, True)
    ('webm', 'png')
    """
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
    if out.is_dir():
        raise click.UsageError(
            f"-o {out} is a folder; give a file name for the video, e.g. -o "
            f"{out / 'lesson.mp4'} (or --format png to save every frame into a new folder)"
        )
    named = f"has the suffix .{suffix}" if suffix else "has no suffix"
    raise click.UsageError(
        f"-o {out} {named}; nnwarp writes {', '.join('.' + f for f in r.VIDEO_FORMATS)} videos "
        "(or a folder of PNG frames with --format png): name it e.g. "
        f"{out.with_suffix('.mp4').name}"
    )
