"""A story's options checked against its data, once the points are counted, before training.

``[anatomy] sample`` is a point's index: whether it exists depends on the data (the
built-in dataset's ``samples``, or the rows of a data file), not on the training, so the
renderer counts the points (loading the data, or reading the trained network's file) and
calls :func:`check_points` before it trains or draws anything.

>>> from scenes.story.load import parse_story
>>> story = parse_story('scenes = ["anatomy"]\\n[anatomy]\\nsample = 400\\n', "a.toml")
>>> check_points(story, 401)
>>> try:
...     check_points(story, 400)
... except StoryError as exc:
...     print(exc)
a.toml:3: [anatomy] sample: 400 is out of range: the story's data has 400 points, numbered 0 to 399
"""

from __future__ import annotations

from scenes.story.errors import StoryError
from scenes.story.schema import Story

__all__ = ["check_points", "needs_points"]


def needs_points(story: Story) -> bool:
    """Whether :func:`check_points` has anything to check (else the points need no count).

    >>> from scenes.story.schema import AnatomyOptions
    >>> needs_points(Story(scenes=["warp"])), needs_points(
    ...     Story(scenes=["anatomy"], anatomy=AnatomyOptions(sample=3))
    ... )
    (False, True)
    """
    return story.anatomy is not None and story.anatomy.sample is not None


def check_points(story: Story, n_points: int) -> None:
    """Refuse, as ``file:line: key: ...``, an option naming a point past the ``n_points``
    of the story's data."""
    if story.anatomy is None or story.anatomy.sample is None:
        return
    sample = story.anatomy.sample
    if sample < n_points:
        return
    where = story.where("anatomy", "sample")
    raise StoryError(
        f"{where + ': ' if where else ''}[anatomy] sample: {sample} is out of range: the "
        f"story's data has {n_points} points, numbered 0 to {n_points - 1}"
    )
