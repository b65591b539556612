"""A render's checks against its network's data, made before the network is trained.

Some mistakes can only be seen once the data is known: a theme with fewer class colours
than the data has classes, a story's ``[anatomy] sample`` past its points. They are checked
by :func:`check_before_training`, the one function every way of rendering calls before it
trains (or, from a trained file, draws): ``nnwarp render`` (a scene or a story), the
notebook API (:mod:`scenes.notebook`) and ``nnwarp batch`` (as it checks its jobs, before
it trains their networks). The theme file is read there too, so its keys, colours and fonts
are refused before the training (:func:`scenes.mobjects.fonts.load_checked_theme`).

Example
-------
>>> from nnmodel.config import DataConfig, RunConfig
>>> from scenes.story.load import parse_story
>>> story = parse_story('scenes = ["anatomy"]\\n[anatomy]\\nsample = 40\\n', "a.toml")
>>> check_before_training(RunConfig(DataConfig(samples=40)), story=story)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
scenes.story.errors.StoryError: a.toml:3: [anatomy] sample: 40 is out of range: ... 40 points, ...
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nnmodel.config import RunConfig
    from nnmodel.pipeline import Prepared
    from scenes.story import Story

__all__ = ["check_before_training"]


def check_before_training(
    network: Prepared | RunConfig | Path,
    theme: Path | None = None,
    story: Story | None = None,
) -> None:
    """Refuse, before any training or drawing, what the network's data rules out.

    Parameters
    ----------
    network : Prepared, RunConfig or Path
        The network to be shown: its training with the data loaded and checked
        (:func:`nnmodel.pipeline.prepare`), its training still to prepare (the data is then
        loaded as the training will load it), or the trajectory file of a trained one.
    theme : Path, optional
        The theme file the render draws with: read and checked (keys, colours, fonts), and
        it must have a colour for each of the data's classes.
    story : Story, optional
        The story being rendered: its ``[anatomy] sample`` must be one of the data's points.

    Raises
    ------
    NnwarpError
        The first problem, in one line naming the file and key at fault.
    """
    from scenes.core.theme import check_class_colours

    counts_needed = False
    if story is not None:  # (scenes.story, and pydantic, only imported for a story)
        from scenes.story.points import needs_points

        counts_needed = needs_points(story)
    if theme is None and not counts_needed:
        return  # nothing to check against the data: it is not loaded for nothing
    if theme is not None:
        from scenes.mobjects.fonts import load_checked_theme

        load_checked_theme(theme)  # its keys, colours and fonts first: they need no data
    points, classes = _counts(network)
    check_class_colours(theme, classes)
    if story is not None:
        from scenes.story.points import check_points

        check_points(story, points)


def _counts(network: Prepared | RunConfig | Path) -> tuple[int, int]:
    """The number of points and of classes the network's data has."""
    from nnmodel import pipeline
    from nnmodel.config import RunConfig

    if isinstance(network, Path):
        from nnmodel.trajectory import load

        trained = load(network)
        return len(trained.inputs), trained.n_classes
    prep = pipeline.prepare(network) if isinstance(network, RunConfig) else network
    return len(prep.data.y), prep.data.n_classes
