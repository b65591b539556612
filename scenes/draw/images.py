"""Images drawn as Manim draws them, composited into the rectangle they cover only."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

__all__ = ["composite_at", "placed_image"]


def placed_image(
    pixels: npt.NDArray[Any],
    corners: npt.NDArray[np.float64],
    resample: Any,
) -> tuple[Image.Image, int, int] | None:
    """``pixels`` (RGBA) warped onto the quadrilateral ``corners`` (subpixel coordinates of
    its top-left, top-right, bottom-left and bottom-right corners), as Manim's
    ``Camera.display_image_mobject`` warps it: the image, and the frame pixel its top-left
    goes to. ``None`` where Manim draws nothing (a degenerate quadrilateral).
    """
    sub = Image.fromarray(pixels, mode="RGBA")
    original = np.array([[0, 0], [sub.width, 0], [0, sub.height], [sub.width, sub.height]])
    target = np.array(corners, dtype=np.float64)
    whole = target.astype(np.int64)
    shift = np.array([min(*[x for x, _ in whole]), min(*[y for _, y in whole])])
    target -= shift
    whole -= shift
    size = (max(*[x for x, _ in whole]), max(*[y for _, y in whole]))
    # no pixel to cover: the quadrilateral is less than half a pixel high (Manim's test)
    ordered = [target[i] for i in (0, 1, 3, 2)]
    sides = [ordered[(i + 1) % 4] - ordered[i] for i in range(4)]
    lengths = np.linalg.norm(sides, axis=1)
    longest = int(np.argmax(lengths))
    if lengths[longest] == 0:
        return None
    before = sides[(longest - 1) % 4]  # (Manim measures the same side twice)
    cross = abs(sides[longest][0] * before[1] - sides[longest][1] * before[0])
    if cross / lengths[longest] < 0.5:
        return None
    rows = []
    for (x, y), (u, v) in zip(target, original, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    try:
        coefficients = np.linalg.solve(
            np.array(rows, dtype=np.float64), original.reshape(8).astype(np.float64)
        )
    except np.linalg.LinAlgError:
        return None
    warped = sub.transform(
        size=size, method=Image.Transform.PERSPECTIVE, data=coefficients.tolist(), resample=resample
    )
    return warped, int(shift[0]), int(shift[1])


def composite_at(frame: npt.NDArray[np.uint8], image: Image.Image, left: int, top: int) -> None:
    """Composite ``image`` (RGBA) over ``frame`` (H, W, 4) with its top-left at pixel
    ``(left, top)``, in place; what falls outside the frame is cut off.

    The same pixels as compositing a frame-sized copy of it, transparent elsewhere (a
    transparent pixel leaves the frame's as it is), for the cost of its own rectangle.
    """
    h, w = frame.shape[:2]
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + image.width, w), min(top + image.height, h)
    if x0 >= x1 or y0 >= y1:
        return
    part = image.crop((x0 - left, y0 - top, x1 - left, y1 - top))
    under = Image.fromarray(np.ascontiguousarray(frame[y0:y1, x0:x1]), mode="RGBA")
    frame[y0:y1, x0:x1] = np.asarray(Image.alpha_composite(under, part))
