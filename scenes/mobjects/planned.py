"""Playing a plan of beats: every scene's ``construct`` loop, once.

A scene made from a plan (:mod:`scenes.core.timeline`) plays its beats in order through
``beat_<kind>`` methods. :class:`PlaysPlan` does the rest the same way for every story:
sections (rendered or skipped), the check that each beat took exactly what its plan says,
holds for lengthened beats (at the end, or where the beat says with
:meth:`PlaysPlan.hold_here`), the times each beat was played at, the beat being played (for
the progress bar), and the subtitle cues of the sections rendered.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from manim import config

from scenes.core.timeline import Beat
from scenes.mobjects.widgets import Captions
from scenes.publish.sections import rendered_cues
from scenes.publish.subtitles import Cue

__all__ = ["PlaysPlan"]


class PlaysPlan:
    """Mixin for a Manim scene with a plan: ``construct`` plays ``self.beats``.

    The scene sets ``beats``, ``only_sections`` (None: all), ``captions`` (in
    :meth:`prepare`) and ``plan_file`` (named when a beat and its plan disagree), and
    defines ``prepare()`` and one ``beat_<kind>(beat)`` method per kind of beat (dashes in
    the kind become underscores).

    A parallel render draws a run of neighbouring beats: it sets ``only_beats`` (the ids
    drawn, within ``only_sections``), and ``cut_beats`` to start a Manim section at every
    beat, so that each beat's frames are their own files (:func:`beat_files`).

    A beat's *head* is its plays up to the one that fades out the caption it opened on
    (a fade made by :meth:`Captions.swap` or :meth:`Captions.clear`); the rest of it, its
    *body*, shows nothing of the beats before it. ``head_plays`` records, for each beat
    drawn, how many plays and frames its head took; the beats in ``heads_only`` are drawn
    up to the end of their head only, the rest played without drawing (on the clock a
    drawing would keep), so that a body kept from an earlier render can follow.
    """

    beats: Sequence[Beat]
    only_sections: frozenset[str] | None
    #: The beats drawn (None: every beat of the sections drawn).
    only_beats: frozenset[str] | None = None
    #: Start a Manim section at every beat (named by its id), not only at every section.
    cut_beats: bool = False
    captions: Captions
    plan_file: str = "the plan"
    renderer: Any
    #: Whether the beat being played is in a section that is not drawn.
    skipping: bool = False
    #: Beats drawn up to the end of their head only.
    heads_only: frozenset[str] = frozenset()

    def init_plan(self) -> None:
        """Set up what playing records (call in ``__init__``)."""
        #: ``(beat id, start, end)`` on the scene's clock, as played.
        self.beat_times: list[tuple[str, float, float]] = []
        #: The beat being played (None before the first).
        self.current_beat: Beat | None = None
        self.cues: list[Cue] = []
        #: Every caption cue on the scene's clock, drawn or not (``cues``: as written).
        self.clock_cues: list[Cue] = []
        #: Seconds the beat being played held inside itself (:meth:`hold_here`), or None.
        self._held: float | None = None
        #: Wall seconds each beat drawn took to play (what the next ``-j`` split weighs; not
        #: ``beat_…``: that prefix names the beat kinds' methods).
        self.drawing_seconds: dict[str, float] = {}
        #: ``beat id: (plays, frames)`` of each drawn beat's head (none: it faded out no
        #: caption it opened on).
        self.head_plays: dict[str, tuple[int, int]] = {}
        #: The renderer's plays and the frames written when the beat being played began.
        self._began_at = (0, 0)
        #: Whether the rest of the beat being played is skipped (its head drawn).
        self._rest_skipped = False

    def hold_here(self, beat: Beat) -> None:
        """Hold ``beat``'s lengthening (the time its narration needs beyond its own
        animations) now, inside the beat, instead of at its end: where the picture should
        stand still while the words are said."""
        start = float(self.renderer.time)
        self._hold(beat)
        self._held = float(self.renderer.time) - start

    def _hold(self, beat: Beat) -> None:
        frames = round(beat.hold * config.frame_rate)  # a hold is whole frames
        if frames:
            scene: Any = self
            scene.wait((frames + 0.5) / config.frame_rate)  # Manim floors a still's length

    def play(self, *args: Any, **kwargs: Any) -> None:
        """Manim's ``play`` (and so ``wait``), noting where the beat's head ends."""
        closes = any(getattr(a, "closes_caption", False) for a in args)
        super().play(*args, **kwargs)  # type: ignore[misc]
        beat = self.current_beat
        drawn = not self.skipping and not self.renderer.skip_animations  # (-s draws nothing)
        if not closes or not drawn or beat is None or beat.id in self.head_plays:
            return
        plays, frames = self._began_at
        written = int(getattr(self.renderer.file_writer, "frames_written", 0))
        self.head_plays[beat.id] = (int(self.renderer.num_plays) - plays, written - frames)
        if beat.id in self.heads_only:
            scene: Any = self
            scene.next_section(f"{beat.id} (body)", skip_animations=True)
            self.skipping = self._rest_skipped = True
            self.captions.skipping = True
            self.renderer.exact_skips = True  # the beat's length as drawn

    def prepare(self) -> None:
        """Build the scene's fixed furniture (and ``self.captions``)."""
        raise NotImplementedError

    def drawn(self, beat: Beat) -> bool:
        """Whether ``beat`` is drawn (not skipped) in this render."""
        return (self.only_sections is None or beat.section in self.only_sections) and (
            self.only_beats is None or beat.id in self.only_beats
        )

    def drawn_ids(self) -> frozenset[str] | None:
        """The ids of the beats drawn (None: all of them)."""
        if self.only_sections is None and self.only_beats is None:
            return None
        return frozenset(b.id for b in self.beats if self.drawn(b))

    def construct(self) -> None:
        """Play the plan, beat by beat, checking each takes what the plan says."""
        scene: Any = self
        self.prepare()
        cut: tuple[str, bool] | None = None
        skip = False
        # -s: every animation is skipped, only the last frame is drawn
        still = bool(getattr(self.renderer, "_original_skipping_status", False))
        drawn = self.drawn_ids()
        # a render of some beats stops after its last one (nothing after it is seen); -s
        # plays to the end, whose last frame it shows
        last = (
            None
            if drawn is None or still
            else max((i for i, b in enumerate(self.beats) if b.id in drawn), default=-1)
        )
        for i, beat in enumerate(self.beats):
            if last is not None and i > last:
                break
            self.current_beat = beat  # what the progress bar names
            here = (beat.id if self.cut_beats else beat.section, not self.drawn(beat))
            if here != cut:
                cut = here
                skipped = skip
                skip = here[1]
                scene.next_section(here[0], skip_animations=skip)
                # Nothing of a skipped section is seen: its captions are not even built.
                self.skipping = skip  # (-s still draws the last frame: only sections count)
                self.captions.skipping = skip or still
                if skipped and not skip:
                    self.captions.materialize()  # the caption a whole render has up here
            start = float(self.renderer.time)
            self._held = None
            began = time.perf_counter()
            self._began_at = (
                int(self.renderer.num_plays),
                int(getattr(self.renderer.file_writer, "frames_written", 0)),
            )
            self._rest_skipped = False
            getattr(self, "beat_" + beat.kind.replace("-", "_"))(beat)
            if not skip and not self._rest_skipped:  # (a head alone: not what it costs)
                self.drawing_seconds[beat.id] = time.perf_counter() - began
            took = float(self.renderer.time) - start - (self._held or 0.0)
            # Skipped animations (a skipped section, or -s: only the last frame) advance the
            # clock by unrounded run times, with no frames drawn; a body skipped after its
            # head by whole frames, as drawn.
            skipping = skip or (bool(self.renderer.skip_animations) and not self._rest_skipped)
            if not skipping and abs(took - beat.min_duration) > 1e-6:
                raise RuntimeError(
                    f"beat {beat.id!r} took {took:.3f} s but its plan says "
                    f"{beat.min_duration:.3f} s: {self.plan_file} and the scene disagree"
                )
            if self._held is None:
                self._hold(beat)
            self.beat_times.append((beat.id, start, float(self.renderer.time)))
            if self._rest_skipped:  # the next beat starts as after a skipped section
                self.renderer.exact_skips = False
                cut, skip = (f"{beat.id} (body)", True), True
        if still:
            self.captions.materialize()  # -s: the last frame shows the last caption
        self.cues = self.captions.finish()  # the last caption stays up to the very end
        self.clock_cues = list(self.cues)
        if drawn is not None:
            self.cues = rendered_cues(self.cues, self.beats, self.beat_times, drawn)
