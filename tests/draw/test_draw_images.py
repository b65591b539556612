"""An image drawn by the fast cameras has exactly Manim's pixels, whatever its place."""

from __future__ import annotations

import manim
import numpy as np
import pytest
from manim import Camera, ImageMobject
from PIL import Image

from scenes.draw import FastCamera
from scenes.draw.images import composite_at


@pytest.mark.parametrize(
    ("move", "turn", "resample"),
    [
        ((0.0, 0.0), 0.0, "bicubic"),  # inside the frame
        ((6.5, 3.2), 0.0, "nearest"),  # partly off the right and top edges
        ((-7.0, -3.5), 0.4, "bilinear"),  # turned, partly off the left and bottom
        ((20.0, 0.0), 0.0, "bicubic"),  # wholly off the frame
    ],
)
def test_an_image_is_drawn_as_manim_draws_it(
    move: tuple[float, float], turn: float, resample: str
) -> None:
    rng = np.random.default_rng(3)
    pixels = rng.integers(0, 256, (40, 60, 4), dtype=np.uint8)
    pixels[:8, :, 3] = 0  # transparent rows leave the frame as it is
    with manim.tempconfig({"pixel_width": 320, "pixel_height": 180}):
        image = ImageMobject(pixels)
        image.height = 3.0
        image.set_resampling_algorithm(manim.RESAMPLING_ALGORITHMS[resample])
        image.rotate(turn).shift([*move, 0.0])
        under = rng.integers(0, 256, (180, 320, 4), dtype=np.uint8)
        ours, manims = under.copy(), under.copy()
        FastCamera().display_image_mobject(image, ours)
        Camera().display_image_mobject(image, manims)
    assert np.array_equal(ours, manims)


def test_composite_at_cuts_off_what_falls_outside() -> None:
    frame = np.zeros((4, 5, 4), np.uint8)
    square = Image.fromarray(np.full((3, 3, 4), 255, np.uint8), mode="RGBA")
    composite_at(frame, square, -1, 2)  # two columns and two rows of it land
    assert frame[:, :, 3].tolist() == [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [255, 255, 0, 0, 0],
        [255, 255, 0, 0, 0],
    ]
