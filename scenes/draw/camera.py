"""The fast cameras: Manim's Cairo cameras plus PointCloud and LineBundle drawing."""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterator
from itertools import starmap
from typing import Any

import cairo
import numpy as np
import numpy.typing as npt
from manim import Camera, Mobject, ThreeDCamera
from manim.mobject.types.image_mobject import AbstractImageMobject
from manim.mobject.types.point_cloud_mobject import PMobject
from manim.mobject.types.vectorized_mobject import VMobject

from scenes.draw.base import FloatArray, _resize_rows
from scenes.draw.compositor import _composite_discs
from scenes.draw.device import (
    _apply_clip,
    _device_rect,
    _device_scale,
    _device_transform,
    _polyline_runs,
    _stride_groups,
)
from scenes.draw.images import composite_at, placed_image
from scenes.draw.lines import LineBundle
from scenes.draw.points import PointCloud
from scenes.draw.sprites import (
    MAX_SPRITE_COLOURS,
    SUBPIXEL_STEPS,
    _colour_keys,
    _key_to_rgba,
    _Sprites,
)
from scenes.draw.workspace import _Workspace

__all__ = [
    "FastCamera",
    "FastCameraMixin",
    "FastThreeDCamera",
    "VECTOR_MAX_RADIUS",
    "VECTOR_MAX_RADIUS_MANY_COLOURS",
    "VECTOR_MIN_POINTS",
    "VECTOR_MIN_POINTS_MANY_COLOURS",
]


#: With ``point_backend = "auto"``, a cloud of opaque discs is composited with numpy (all its
#: discs at once) when it has at least this many points and a disc radius of at most
#: ``VECTOR_MAX_RADIUS`` pixels. Smaller clouds and bigger discs are cheaper as Cairo stamps
#: (numpy's cost grows with the number of pixels, Cairo's mostly with the number of stamps).
VECTOR_MIN_POINTS = 1000
VECTOR_MAX_RADIUS = 3.5
#: The same limits for outlined clouds of more than ``MAX_SPRITE_COLOURS`` colours (opaque or
#: not), which Cairo draws with two masks per point, about three times slower.
VECTOR_MIN_POINTS_MANY_COLOURS = 200
VECTOR_MAX_RADIUS_MANY_COLOURS = 6.0


#: Paths of at least this many points are built once and moved (text, formulas); shorter
#: ones cost less to build again than to compare.
PATH_CACHE_MIN_POINTS = 64
#: How far (frame units) a point may be from where it was for a kept path to be reused:
#: a millionth of a pixel at 4K.
PATH_CACHE_TOLERANCE = 1e-9
#: Paths kept per camera (the oldest goes first).
PATH_CACHE_SIZE = 256


class FastCameraMixin:
    """Adds :class:`PointCloud` and :class:`LineBundle` display to a Cairo camera.

    Must come before a :class:`manim.Camera` subclass in the bases. Points and lines are
    projected with ``transform_points_pre_display`` (so 3-D projection and fixed-in-frame
    work) and mapped to pixels with the same cached Cairo matrix Manim uses for VMobjects.
    Lines are stroked on the cached Cairo context; points are stamped there too, or, for big
    clouds of small discs, composited straight into the pixel array with numpy (see
    :attr:`point_backend`).
    """

    #: Cairo antialiasing for polylines (FAST is ~2x quicker than DEFAULT and looks alike).
    line_antialias: cairo.Antialias = cairo.ANTIALIAS_FAST
    #: Max distance in pixels between a drawn polyline and its samples after dropping
    #: samples on nearly straight stretches (0 keeps every sample).
    line_tolerance: float = 0.25
    #: Depth-sort points back to front (3-D cameras).
    depth_sort_points: bool = False
    #: How :class:`PointCloud` discs are drawn: ``"cairo"`` stamps one cached sprite (or two
    #: masks) per point, so its cost grows with the point count; ``"numpy"`` composites all of
    #: a cloud's discs into the pixel array at once, so its cost grows with the pixels covered
    #: and a point costs far less; ``"auto"`` picks numpy where it measured faster (see
    #: :data:`VECTOR_MIN_POINTS` and :data:`VECTOR_MIN_POINTS_MANY_COLOURS`). Both give the
    #: same picture to within a couple of levels.
    point_backend: str = "auto"

    # Attributes provided by manim.Camera (declared for readers and type checkers).
    pixel_width: int
    pixel_height: int
    pixel_array: Any
    display_funcs: dict[type[Mobject], Callable[[list[Any], Any], Any]]
    get_cairo_context: Callable[[Any], cairo.Context[cairo.ImageSurface]]
    transform_points_pre_display: Callable[[Mobject, FloatArray], FloatArray]

    def _fast_display_funcs(self) -> dict[type[Mobject], Callable[[list[Any], Any], Any]]:
        funcs: dict[type[Mobject], Callable[[list[Any], Any], Any]] | None = getattr(
            self, "_fast_funcs", None
        )
        if funcs is None:
            base: Any = self
            funcs = {
                PointCloud: self.display_point_clouds,
                LineBundle: self.display_line_bundles,
                VMobject: base.display_multiple_vectorized_mobjects,
                PMobject: base.display_multiple_point_cloud_mobjects,
                AbstractImageMobject: base.display_multiple_image_mobjects,
                Mobject: lambda batch, pa: batch,
            }
            self._fast_funcs = funcs
            self._sprites = _Sprites()
        return funcs

    def display_image_mobject(self, image_mobject: AbstractImageMobject, pixel_array: Any) -> None:
        """Draw an image as Manim does (the same warp, the same pixels), composited into the
        rectangle it covers instead of through a frame-sized image (at 1080p that was
        tens of milliseconds an image, every frame)."""
        camera: Any = self
        corners = camera.points_to_subpixel_coords(image_mobject, image_mobject.points)
        placed = placed_image(
            image_mobject.get_pixel_array(), corners, image_mobject.resampling_algorithm
        )
        if placed is not None:
            composite_at(pixel_array, *placed)

    def type_or_raise(self, mobject: Mobject) -> type[Mobject]:
        """Return the display class of ``mobject`` (our two classes first).

        Returns
        -------
        type
            The key into ``display_funcs``.
        """
        funcs = self._fast_display_funcs()
        self.display_funcs = funcs
        for kind in funcs:
            if isinstance(mobject, kind):
                return kind
        raise TypeError(f"Displaying an object of class {type(mobject)} is not supported")

    # -- long paths (text) ---------------------------------------------------------------

    def set_cairo_context_path(self, ctx: cairo.Context[cairo.ImageSurface], vmobject: Any) -> Any:
        """Manim's path of ``vmobject``; a long one (text, a formula) is built once and moved.

        Manim's loop makes one Python call per Bézier curve: about a millisecond for a line
        of text, every frame it is drawn. A long path is kept in the shape of its points
        relative to the first one and drawn moved to where that point is now, while the
        shape stays the same. It is drawn that way the first time too, so a frame looks the
        same whether the path was kept or not (a parallel render's parts start cold).
        """
        base: Any = super()
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points) < PATH_CACHE_MIN_POINTS:
            return base.set_cairo_context_path(ctx, vmobject)
        cache: dict[int, tuple[FloatArray, Any, tuple[float, ...]]] | None = getattr(
            self, "_path_cache", None
        )
        if cache is None:
            self._path_cache: dict[int, tuple[FloatArray, Any, tuple[float, ...]]] = {}
            cache = self._path_cache
        ox, oy = float(points[0, 0]), float(points[0, 1])
        shape = np.array(points[:, :2], dtype=np.float64)
        shape[:, 0] -= ox
        shape[:, 1] -= oy
        matrix: tuple[float, ...] = tuple(ctx.get_matrix())  # type: ignore[arg-type]
        found = cache.get(id(vmobject))
        if (
            found is None
            or found[2] != matrix
            or found[0].shape != shape.shape
            or not np.allclose(shape, found[0], rtol=0.0, atol=PATH_CACHE_TOLERANCE)
        ):
            ctx.new_path()
            _trace(ctx, shape, vmobject)
            found = (shape, ctx.copy_path(), matrix)
            if len(cache) >= PATH_CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[id(vmobject)] = found
        ctx.new_path()
        ctx.translate(ox, oy)
        ctx.append_path(found[1])
        ctx.set_matrix(cairo.Matrix(*matrix))  # exactly as it was (translating back drifts)
        return self

    # -- shared -----------------------------------------------------------------------

    def _project(
        self, mob: Mobject, points: FloatArray
    ) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """Project finite points; return ``(projected, finite_mask)`` with the same length.

        Manim's ``transform_points_pre_display`` replaces the *whole* array by one origin
        point if any value is non-finite, so non-finite rows are zeroed first and masked.
        """
        finite: npt.NDArray[np.bool_] = np.all(np.isfinite(points), axis=1)
        src = points if finite.all() else np.where(finite[:, None], points, 0.0)
        projected = self.transform_points_pre_display(mob, src)
        if projected.shape != src.shape:  # pragma: no cover - defensive
            projected = src
        return projected, finite & np.all(np.isfinite(projected), axis=1)

    def _zoom_for(self, mob: Mobject) -> float:
        fixed = getattr(self, "fixed_in_frame_mobjects", ())
        get_zoom = getattr(self, "get_zoom", None)
        if get_zoom is None or mob in fixed:
            return 1.0
        return float(get_zoom())

    # -- points -----------------------------------------------------------------------

    def display_point_clouds(self, clouds: list[PointCloud], pixel_array: Any) -> None:
        """Draw a batch of :class:`PointCloud` mobjects on ``pixel_array``."""
        self._fast_display_funcs()
        ctx = self.get_cairo_context(pixel_array)
        for cloud in clouds:
            if len(cloud.points) and cloud.radius > 0:
                self._draw_cloud(ctx, cloud, pixel_array)

    def _numpy_target(self, pixel_array: Any) -> npt.NDArray[np.uint8] | None:
        """``pixel_array`` if numpy may composite into it directly, else ``None``."""
        arr = pixel_array
        if (
            isinstance(arr, np.ndarray)
            and arr.dtype == np.uint8
            and arr.ndim == 3
            and arr.shape == (self.pixel_height, self.pixel_width, 4)
            and arr.flags.c_contiguous
            and arr.flags.writeable
            and sys.byteorder == "little"  # the 16-bit lanes are views of the pixel bytes
        ):
            return arr
        return None

    def _numpy_pays(
        self, n: int, radius: float, outlined: bool, fill: FloatArray, rim: FloatArray
    ) -> bool:
        """Whether to composite this cloud with numpy (see :attr:`point_backend`)."""
        backend = self.point_backend
        if backend not in ("auto", "numpy", "cairo"):
            raise ValueError(f"point_backend must be 'auto', 'numpy' or 'cairo', not {backend!r}")
        if backend != "auto":
            return backend == "numpy"
        if n < min(VECTOR_MIN_POINTS, VECTOR_MIN_POINTS_MANY_COLOURS):
            return False
        if radius > max(VECTOR_MAX_RADIUS, VECTOR_MAX_RADIUS_MANY_COLOURS):
            return False
        if outlined and self._workspace().colours(fill, rim)[2] is None:  # many colours
            return n >= VECTOR_MIN_POINTS_MANY_COLOURS and radius <= VECTOR_MAX_RADIUS_MANY_COLOURS
        opaque = bool((fill[:, 3] >= 1.0).all())
        return opaque and n >= VECTOR_MIN_POINTS and radius <= VECTOR_MAX_RADIUS

    def _workspace(self) -> _Workspace:
        work: _Workspace | None = getattr(self, "_work", None)
        if work is None:
            work = self._work = _Workspace()
        return work

    def _draw_cloud(
        self, ctx: cairo.Context[cairo.ImageSurface], cloud: PointCloud, pixel_array: Any = None
    ) -> None:
        projected, ok = self._project(cloud, cloud.points)
        rgbas = cloud.rgbas
        if len(rgbas) != len(projected):
            rgbas = _resize_rows(rgbas, len(projected))
        ok &= rgbas[:, 3] > 0.5 / 255.0
        scale = _device_scale(ctx) * self._zoom_for(cloud)
        radius = cloud.radius * scale
        if radius < 0.05:
            return
        rect = _device_rect(ctx, cloud.clip_box, self.pixel_width, self.pixel_height)
        if rect[0] >= rect[1] or rect[2] >= rect[3]:
            return
        dev = _device_transform(ctx, projected[:, :2])
        if cloud.clip_box is not None:
            cb = cloud.clip_box
            px, py = projected[:, 0], projected[:, 1]
            ok &= (px >= cb[0]) & (px <= cb[1]) & (py >= cb[2]) & (py <= cb[3])
        margin = radius + 2.0
        ok &= (dev[:, 0] > rect[0] - margin) & (dev[:, 0] < rect[1] + margin)
        ok &= (dev[:, 1] > rect[2] - margin) & (dev[:, 1] < rect[3] + margin)
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            return
        if self.depth_sort_points:
            idx = idx[np.argsort(projected[idx, 2], kind="stable")]
        radius_q = max(int(round(radius * 8.0)), 1)
        radius = radius_q / 8.0
        outline = min(cloud.outline_width * scale, radius)
        inner_q = int(round((radius - outline) * 8.0)) if outline >= 0.125 else -1

        corner = dev[idx] - (radius + 1.0)
        base = np.floor(corner)
        sub_xy = np.minimum((corner - base) * SUBPIXEL_STEPS, SUBPIXEL_STEPS - 1).astype(np.intp)
        sub_arr = sub_xy[:, 0] * SUBPIXEL_STEPS + sub_xy[:, 1]
        x_arr = base[:, 0].astype(np.intp)
        y_arr = base[:, 1].astype(np.intp)
        fill = rgbas[idx]
        if cloud.outline_rgb is not None:
            rim = np.concatenate([np.tile(cloud.outline_rgb, (len(fill), 1)), fill[:, 3:]], axis=1)
        else:
            rim = np.concatenate([fill[:, :3] * cloud.outline_darken, fill[:, 3:]], axis=1)

        target = self._numpy_target(pixel_array)
        if target is not None and self._numpy_pays(len(idx), radius, inner_q >= 0, fill, rim):
            table = self._sprites.table(radius_q, inner_q, self.pixel_width)
            surface = ctx.get_target()
            surface.flush()
            _composite_discs(
                target,
                table,
                x_arr,
                y_arr,
                sub_arr,
                fill,
                rim,
                rect,
                self._workspace(),
            )
            surface.mark_dirty()
            return

        subs = sub_arr.tolist()
        xs = x_arr.tolist()
        ys = y_arr.tolist()
        ctx.save()
        try:
            ctx.identity_matrix()
            ctx.new_path()  # Manim's VMobjects leave their path behind
            if cloud.clip_box is not None:
                _apply_clip(ctx, rect)
            if inner_q < 0:
                self._draw_masked(ctx, radius_q, fill, xs, ys, subs)
            else:
                self._draw_outlined(ctx, radius_q, inner_q, fill, rim, xs, ys, subs)
        finally:
            ctx.restore()

    def _draw_masked(
        self,
        ctx: cairo.Context[cairo.ImageSurface],
        radius_q: int,
        fill: FloatArray,
        xs: list[int],
        ys: list[int],
        subs: list[int],
    ) -> None:
        """Plain discs: one A8 mask per sub-pixel offset, source colour per point."""
        cache = self._sprites
        masks = [cache.mask(radius_q, radius_q, -1, s) for s in range(SUBPIXEL_STEPS**2)]
        mask_surface = ctx.mask_surface
        keys = _colour_keys(fill)
        if len(keys) and bool((keys == keys[0]).all()):
            r, g, b, a = fill[0]
            ctx.set_source_rgba(b, g, r, a)
            for x, y, s in zip(xs, ys, subs, strict=True):
                mask_surface(masks[s], x, y)
            return
        set_source = ctx.set_source_rgba
        bgra = fill[:, [2, 1, 0, 3]].tolist()
        for x, y, s, c in zip(xs, ys, subs, bgra, strict=True):
            set_source(*c)
            mask_surface(masks[s], x, y)

    def _draw_outlined(
        self,
        ctx: cairo.Context[cairo.ImageSurface],
        radius_q: int,
        inner_q: int,
        fill: FloatArray,
        rim: FloatArray,
        xs: list[int],
        ys: list[int],
        subs: list[int],
    ) -> None:
        """Discs with a rim: cached ARGB sprites per colour, or two masks per point."""
        cache = self._sprites
        fill_keys = _colour_keys(fill)
        rim_keys = _colour_keys(rim)
        pair = (fill_keys.astype(np.uint64) << np.uint64(32)) | rim_keys.astype(np.uint64)
        uniq, inverse = np.unique(pair, return_inverse=True)
        if len(uniq) <= MAX_SPRITE_COLOURS:
            n_sub = SUBPIXEL_STEPS**2
            table = [
                cache.sprite(radius_q, inner_q, int(u) >> 32, int(u) & 0xFFFFFFFF, s)
                for u in uniq.tolist()
                for s in range(n_sub)
            ]
            ids = (inverse.reshape(-1) * n_sub + np.asarray(subs, dtype=np.int64)).tolist()
            set_surface = ctx.set_source_surface
            paint = ctx.paint
            for x, y, i in zip(xs, ys, ids, strict=True):
                set_surface(table[i], x, y)
                paint()
            return
        n_sub = SUBPIXEL_STEPS**2
        outer = [cache.mask(radius_q, radius_q, -1, s) for s in range(n_sub)]
        ring = [cache.mask(radius_q, radius_q, inner_q, s) for s in range(n_sub)]
        inner = [cache.mask(radius_q, inner_q, -1, s) for s in range(n_sub)]
        # Opaque points: full outline disc under the fill (no seam); translucent: a ring.
        under = outer if bool((fill[:, 3] >= 0.999).all()) else ring
        set_source = ctx.set_source_rgba
        mask_surface = ctx.mask_surface
        rim_bgra = rim[:, [2, 1, 0, 3]].tolist()
        fill_bgra = fill[:, [2, 1, 0, 3]].tolist()
        for x, y, s, rc, fc in zip(xs, ys, subs, rim_bgra, fill_bgra, strict=True):
            set_source(*rc)
            mask_surface(under[s], x, y)
            set_source(*fc)
            mask_surface(inner[s], x, y)

    # -- lines ------------------------------------------------------------------------

    def display_line_bundles(self, bundles: list[LineBundle], pixel_array: Any) -> None:
        """Draw a batch of :class:`LineBundle` mobjects on ``pixel_array``."""
        self._fast_display_funcs()
        ctx = self.get_cairo_context(pixel_array)
        for bundle in bundles:
            if bundle.num_lines and bundle.samples_per_line >= 2 and bundle.stroke_width > 0:
                self._draw_bundle(ctx, bundle)

    def _draw_bundle(self, ctx: cairo.Context[cairo.ImageSurface], bundle: LineBundle) -> None:
        n_lines, m = bundle.num_lines, bundle.samples_per_line
        projected, ok = self._project(bundle, bundle.points)
        scale = _device_scale(ctx) * self._zoom_for(bundle)
        width = bundle.stroke_width * scale
        rect = _device_rect(ctx, bundle.clip_box, self.pixel_width, self.pixel_height)
        if rect[0] >= rect[1] or rect[2] >= rect[3] or width <= 0:
            return
        dev = _device_transform(ctx, projected[:, :2]).reshape(n_lines, m, 2)
        valid = ok.reshape(n_lines, m)
        # Lines with gaps keep every sample (below); samples no line has (a chart's series
        # not drawn yet) make no segment, so only the columns some line has are looked at.
        gappy = np.asarray(~valid.all(axis=1), dtype=bool)
        if gappy.any():
            cols = np.flatnonzero(valid.any(axis=0))
            if len(cols) < 2:
                return
            dev, valid = dev[:, cols[0] : cols[-1] + 1], valid[:, cols[0] : cols[-1] + 1]
        rgbas = bundle.rgbas
        if len(rgbas) != n_lines:
            rgbas = _resize_rows(rgbas, n_lines)
        visible = rgbas[:, 3] > 0.5 / 255.0
        pad = width + 2.0
        geo_rect = (rect[0] - pad, rect[1] + pad, rect[2] - pad, rect[3] + pad)
        keys = _colour_keys(rgbas)

        ctx.save()
        try:
            ctx.identity_matrix()
            ctx.new_path()  # Manim's VMobjects leave their path behind
            if bundle.clip_box is not None:
                _apply_clip(ctx, rect)
            ctx.set_line_width(width)
            ctx.set_line_join(cairo.LINE_JOIN_BEVEL)
            ctx.set_line_cap(cairo.LINE_CAP_BUTT)
            ctx.set_antialias(self.line_antialias)
            move_to, line_to = ctx.move_to, ctx.line_to
            for key in np.unique(keys[visible]).tolist():
                rows = np.flatnonzero((keys == key) & visible)
                groups = _stride_groups(dev[rows], valid[rows], self.line_tolerance, gappy[rows])
                for stride, sel in groups:
                    sub_dev = dev[rows[sel]][:, stride]
                    sub_valid = valid[rows[sel]][:, stride]
                    inside = (
                        bool(sub_valid.all())
                        and sub_dev[..., 0].min() >= geo_rect[0]
                        and sub_dev[..., 0].max() <= geo_rect[1]
                        and sub_dev[..., 1].min() >= geo_rect[2]
                        and sub_dev[..., 1].max() <= geo_rect[3]
                    )
                    if inside:
                        for flat in sub_dev.reshape(len(sub_dev), -1).tolist():
                            it = iter(flat)
                            move_to(next(it), next(it))
                            _each(line_to, it)
                        continue
                    verts, moves = _polyline_runs(sub_dev, sub_valid, geo_rect)
                    starts = np.flatnonzero(moves).tolist()
                    if len(verts) and (not starts or starts[0] != 0):
                        starts.insert(0, 0)  # (Cairo: a line_to with no current point moves)
                    ends = [*starts[1:], len(verts)] if starts else []
                    for first, end in zip(starts, ends, strict=True):
                        it = iter(verts[first:end].ravel().tolist())
                        move_to(next(it), next(it))
                        _each(line_to, it)
                r, g, b, a = _key_to_rgba(int(key))
                ctx.set_source_rgba(b, g, r, a)
                ctx.stroke()
        finally:
            ctx.restore()


def _each(call: Callable[[float, float], None], flat: Iterator[float]) -> None:
    """``call(x, y)`` for each pair of numbers in ``flat``, looped in C (a polyline's
    ``line_to`` calls are most of a grid's drawing time in Python)."""
    deque(starmap(call, zip(flat, flat, strict=True)), maxlen=0)


class FastCamera(FastCameraMixin, Camera):
    """Manim's 2-D Cairo camera plus fast :class:`PointCloud` / :class:`LineBundle` drawing."""


class FastThreeDCamera(FastCameraMixin, ThreeDCamera):
    """Manim's 3-D camera plus fast drawing; points are drawn back to front."""

    depth_sort_points = True


def _trace(ctx: cairo.Context[cairo.ImageSurface], xy: FloatArray, vmobject: Any) -> None:
    """Add the cubic Bézier subpaths of 2-D points ``xy`` to ``ctx``'s path, as Manim's
    ``Camera.set_cairo_context_path`` does (a subpath closes where it ends at its start)."""
    n = vmobject.n_points_per_cubic_curve
    points = np.zeros((len(xy), 3))
    points[:, :2] = xy
    for start, end in vmobject.get_subpath_split_indices_from_points(points, n_dims=2):
        start, end = int(start), int(end)
        if end - start < n:
            continue
        ctx.new_sub_path()
        ctx.move_to(*xy[start])
        for i in range(start, end - n + 1, n):
            ctx.curve_to(*xy[i + 1], *xy[i + 2], *xy[i + 3])
        if vmobject.consider_points_equals_2d(points[start], points[end - 1]):
            ctx.close_path()
