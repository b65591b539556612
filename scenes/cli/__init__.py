"""The ``nnwarp`` command line: thin click commands over pure functions."""

from __future__ import annotations

import click

from nnmodel import __version__
from scenes.cli.batch import batch
from scenes.cli.commands import inspect, list_, train
from scenes.cli.options import ACTIVATION_HELP, build_config, training_options
from scenes.cli.rendering import render
from scenes.cli.story import new, schema

__all__ = ["ACTIVATION_HELP", "build_config", "main", "training_options"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="nnwarp")
@click.option("--debug", is_flag=True, help="Show the full traceback of an unexpected error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """nnwarp: explain neural networks with video.

    Train a small network on 2-D data and render how it warps space, layer by layer.
    """
    ctx.obj = {"debug": debug}


for _command in (train, inspect, list_, render, new, schema, batch):
    main.add_command(_command)
