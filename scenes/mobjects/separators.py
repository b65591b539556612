"""Decision boundaries as mobjects: lines and regions in 2-D, facets in 3-D, the mesh image."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import ImageMobject, Line, Mobject, Polygon, VGroup, VMobject

from scenes.core import geometry
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.view import View

__all__ = [
    "data_box",
    "facets_3d",
    "mesh_image",
    "mesh_pixels",
    "place_separator_3d",
    "regions_2d",
    "separator_3d",
]


def data_box(view: View) -> tuple[float, float, float, float]:
    """The view's screen box in data coordinates (a flat view)."""
    hw, hh = view.box.half_width / view.scale, view.box.half_height / view.scale
    cx, cy = float(view.centre[0]), float(view.centre[1])
    return (cx - hw, cx + hw, cy - hh, cy + hh)


def _on_border(a: np.ndarray, c: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether the segment ``a``–``c`` lies along one side of ``box`` (not a boundary)."""
    x0, x1, y0, y1 = box
    tol = 1e-9 * max(x1 - x0, y1 - y0, 1.0)
    return any(
        abs(a[k] - edge) <= tol and abs(c[k] - edge) <= tol
        for k, edge in ((0, x0), (0, x1), (1, y0), (1, y1))
    )


def regions_2d(
    w: np.ndarray,
    b: np.ndarray,
    view: View,
    clip: tuple[float, float, float, float] | None = None,
) -> list[VMobject]:
    """Boundary line(s) first, then shaded class regions, as screen mobjects.

    Everything is clipped to the view's box, or to ``clip`` (in data coordinates) inside it.
    """
    th = theme()
    box = data_box(view)
    if clip is not None:
        box = (
            max(box[0], clip[0]),
            min(box[1], clip[1]),
            max(box[2], clip[2]),
            min(box[3], clip[3]),
        )
    regions = geometry.linear_regions(w, b, box)
    shapes: list[VMobject] = []
    for k, poly in enumerate(regions):
        if len(poly) >= 3:
            corners = view.to_screen3(poly)
            shapes.append(
                Polygon(
                    *corners,
                    stroke_width=0,
                    fill_color=th.class_color(k),
                    fill_opacity=th.region_opacity,
                    z_index=0,
                )
            )
    lines = VGroup()
    if w.shape[0] == 1:
        seg = geometry.clip_line_to_box(w[0], float(b[0]), box)
        if seg is not None:
            a, c = view.to_screen3(seg)
            lines.add(Line(a, c, color=th.separator, stroke_width=4, z_index=4))
    else:
        # The boundaries are the regions' edges that do not run along the box's sides.
        for poly in regions:
            if len(poly) < 3:
                continue
            for a, c in zip(poly, np.roll(poly, -1, axis=0), strict=True):
                if not _on_border(a, c, box):
                    ends = view.to_screen3(np.stack([a, c]))
                    lines.add(Line(ends[0], ends[1], color=th.separator, stroke_width=3, z_index=4))
    return [lines, *shapes]


def facets_3d(w: np.ndarray, b: np.ndarray, points: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """Decision-boundary polygons in a 3-D space, clipped to a box around ``points``.

    Two classes meet in one plane. More classes, in the walls between neighbours only:
    the facet where classes ``i`` and ``j`` tie is drawn where it separates points whose
    two best classes are ``i`` and ``j``, clipped to a box around those points (a cut
    through empty space, or through the whole box, only hides the data behind it).
    """
    th = theme()
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.08 * (hi - lo).max() + 1e-6
    w3 = np.zeros((w.shape[0], 3))
    w3[:, : w.shape[1]] = w
    out = []
    if w3.shape[0] == 1:
        box3 = _box3(lo, hi, pad)
        poly = geometry.clip_plane_to_box(w3[0], float(b[0]), box3)
        if poly is not None:
            out.append((poly, th.separator))
        return out
    k = w3.shape[0]
    best_two = np.sort(np.argsort(-(points @ w3.T + b), axis=1, kind="stable")[:, :2], axis=1)
    for i in range(k):
        for j in range(i + 1, k):
            near = points[(best_two[:, 0] == i) & (best_two[:, 1] == j)]
            if len(near) == 0:
                continue
            box3 = _box3(np.maximum(near.min(axis=0), lo), np.minimum(near.max(axis=0), hi), pad)
            poly = geometry.clip_plane_to_box(w3[i] - w3[j], float(b[i] - b[j]), box3)
            if poly is None:
                continue
            for m in range(k):
                if m in (i, j) or len(poly) < 3:
                    continue
                poly = geometry.clip_polygon_halfspace(poly, w3[i] - w3[m], float(b[i] - b[m]))
            if len(poly) >= 3:  # tinted by the two classes it parts
                out.append((poly, _mix(th.class_color(i), th.class_color(j))))
    return out


def _mix(a: str, b: str) -> str:
    """The colour halfway between the colours ``a`` and ``b`` (``#RRGGBB``).

    >>> _mix("#000000", "#FFFFFF")
    '#808080'
    """
    ca, cb = hex_to_rgb(a), hex_to_rgb(b)
    return "#" + "".join(f"{round((x + y) / 2 * 255):02X}" for x, y in zip(ca, cb, strict=True))


def _box3(lo: np.ndarray, hi: np.ndarray, pad: float) -> tuple[float, ...]:
    """The box from ``lo`` to ``hi`` grown by ``pad`` on every side, as (x0, x1, y0, y1, z0, z1)."""
    return tuple(float(v) for axis in range(3) for v in (lo[axis] - pad, hi[axis] + pad))


def separator_3d(w: np.ndarray, b: np.ndarray, view: View, points: np.ndarray) -> list[VMobject]:
    """Boundary facets in a 3-D space (kept in place by :func:`place_separator_3d`)."""
    th = theme()
    shapes: list[VMobject] = []
    facets = facets_3d(w, b, points)
    # one plane is shaded as before; several walls are lighter, as they overlap, each
    # edged and tinted with the colours of the two classes it parts
    one = len(w) == 1
    opacity = 0.3 if one else 0.16
    for poly, color in facets:
        shapes.append(
            Polygon(
                *view.to_screen3(poly),
                stroke_color=th.separator if one else color,
                stroke_width=2,
                fill_color=color,
                fill_opacity=opacity,
                z_index=2,
            )
        )
    if not shapes:
        shapes.append(VGroup())
    return shapes


def place_separator_3d(
    shapes: Sequence[Mobject], facets: Sequence[tuple[np.ndarray, str]], view: View
) -> None:
    """Re-project the boundary ``facets`` (:func:`facets_3d`, which the camera's turn does
    not change) for the current camera angle."""
    for shape, (poly, _) in zip(shapes, facets, strict=False):
        if isinstance(shape, Polygon):
            corners = view.to_screen3(poly)
            shape.set_points_as_corners([*corners, corners[0]])


def mesh_pixels(probs: np.ndarray) -> np.ndarray:
    """The RGBA pixels (top row first) of :func:`mesh_image`: each point of the plane in the
    colour of the class it is given, the more saturated the surer."""
    th = theme()
    probs = probs.astype(np.float64)
    k = probs.shape[-1]
    palette = np.array([hex_to_rgb(th.class_color(c)) for c in range(k)])
    mix = probs @ palette
    confidence = (probs.max(axis=-1) - 1 / k) / (1 - 1 / k)
    alpha = 0.12 + 0.5 * confidence[..., None]
    bg = np.array(hex_to_rgb(th.background))
    rgb = bg * (1 - alpha) + mix * alpha
    rgba = np.concatenate([np.flipud(rgb), np.ones((*rgb.shape[:2], 1))], axis=-1)
    pixels: np.ndarray = (rgba * 255).round().astype(np.uint8)
    return pixels


def mesh_image(
    probs: np.ndarray, extent: tuple[float, float, float, float], view: View
) -> ImageMobject:
    """Class probabilities over the input plane as an image (confident = saturated).

    ``probs`` is (R, R, K) with row 0 the lowest y; ``extent`` is (xmin, xmax, ymin, ymax).
    """
    image = ImageMobject(mesh_pixels(probs), z_index=0)
    x0, x1, y0, y1 = extent
    (sx0, sy0), _ = view.project(np.array([x0, y0]))
    (sx1, sy1), _ = view.project(np.array([x1, y1]))
    image.stretch_to_fit_width(abs(sx1 - sx0))
    image.stretch_to_fit_height(abs(sy1 - sy0))
    image.move_to(((sx0 + sx1) / 2, (sy0 + sy1) / 2, 0.0))
    return image
