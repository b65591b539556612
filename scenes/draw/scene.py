"""FastScene and FastThreeDScene: Manim scenes drawn by the fast cameras, encoded fast."""

from __future__ import annotations

from typing import Any

from manim import Camera, Mobject, Scene, ThreeDScene, config
from manim.animation.animation import Animation
from manim.constants import RendererType
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import list_update

from scenes.draw.camera import FastCamera, FastThreeDCamera
from scenes.draw.encoding import fast_renderer

__all__ = ["FastScene", "FastThreeDScene"]


def _fast_renderer_kwargs(camera_class: type[Camera], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Give a scene the fast encoder unless a renderer was passed (tests pass their own)."""
    if kwargs.get("renderer") is None and config.renderer == RendererType.CAIRO:
        skip = bool(kwargs.get("skip_animations", False))
        kwargs["renderer"] = fast_renderer(camera_class, skip_animations=skip)
    return kwargs


class FastScene(Scene):
    """A :class:`manim.Scene` drawn with :class:`FastCamera` and encoded by
    :class:`scenes.draw.encoding.FastFileWriter`.

    It also redraws less per frame: see :meth:`get_moving_mobjects`.
    """

    def __init__(self, camera_class: type[Camera] = FastCamera, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class, **_fast_renderer_kwargs(camera_class, kwargs))

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        """What to redraw every frame of a play: everything drawn after the first moving part.

        Manim paints the mobjects that do not move once, into a cached background, and draws
        the rest over it every frame. It cuts that list in the order mobjects were *added*,
        so a caption or a panel of text added after the animated points was redrawn on
        every frame of every move, 60-130 glyph outlines at a time. This cuts it in the
        order they are *drawn* (``z_index``, then order added), which gives the same picture
        by construction: the cached part is exactly what would be drawn first.

        A mobject counts as moving if it or an ancestor is animated, has an updater, or is
        in the foreground (Manim's criteria). Anything changed by *another* mobject's
        updater must be a submobject of it, or be animated too.
        """
        if not self.renderer.camera.use_z_index:
            return super().get_moving_mobjects(*animations)
        moving: set[int] = set()
        pending = list(animations)
        while pending:
            anim = pending.pop()
            moving.update(id(m) for m in anim.mobject.get_family())
            pending.extend(getattr(anim, "animations", []))
        for mob in self.get_mobject_family_members():
            if mob.updaters:
                moving.update(id(m) for m in mob.get_family())
        for mob in self.foreground_mobjects:
            moving.update(id(m) for m in mob.get_family())
        drawn = extract_mobject_family_members(
            list_update(self.mobjects, self.foreground_mobjects),
            use_z_index=True,
            only_those_with_points=True,
        )
        first = next((i for i, mob in enumerate(drawn) if id(mob) in moving), None)
        if first is None:
            # Nothing drawn moves (e.g. only a point-less holder has an updater). Not an empty
            # list: Manim's renderer takes that as "draw every mobject", over the cached frame.
            return [Mobject()]
        return drawn[first:]


class FastThreeDScene(ThreeDScene):
    """A :class:`manim.ThreeDScene` drawn with :class:`FastThreeDCamera`, encoded fast."""

    def __init__(self, camera_class: type[Camera] = FastThreeDCamera, **kwargs: Any) -> None:
        # Manim's ThreeDScene.__init__ has no annotations.
        super().__init__(  # type: ignore[no-untyped-call]
            camera_class=camera_class, **_fast_renderer_kwargs(camera_class, kwargs)
        )
