"""The evolution story as a plan of beats, computed from the trajectory before anything is drawn.

One training, watched from epoch 0 to the end on a :class:`~scenes.evolution.timing.Clock`.
After the opening beats (what is on screen), the video pauses at each key moment of the
training with its caption, then runs on to the next: epoch 0; the first epochs where the
training loss is half, and a tenth, of its first value, and where 90 % of the training
points are first right (merged when they come close on screen); the peak of each sharp
jump of the loss several-fold above its recent level (:func:`loss_spikes`: up to three,
apart on screen); each problem the health check first sees during training (dead or
saturated units, a layer squashing the points, its weights shrunk to 0:
:mod:`scenes.evolution.problems`), at the epoch it starts; on a linear clock, the start of
a plateau that leaves most of the video to an unchanging picture (:func:`plateau`);
check-ins at round epochs where a stretch between those runs longer than :data:`QUIET`
seconds (one right after the stretch's sharp drop of the loss, if it has one); and the
last epoch, then what is still wrong there and was not told. Before training, what the
data checks find (:func:`nnmodel.datacheck.check_data`: unscaled inputs, a majority
baseline) is said; an accuracy no better than that baseline is never told as progress.
Every beat's duration is counted in whole frames;
:class:`scenes.evolution.scene.Evolution` plays the beats in order and checks each took
exactly what the plan says. Nothing here imports Manim.

>>> from nnmodel.trajectory import load
>>> beats = evolution_plan(load("tests/data/golden.npz"), fps=6)  # doctest: +SKIP
>>> [b.id for b in beats]  # doctest: +SKIP
['intro', 'plane', 'layers', 'start', 'training', 'epoch-5', 'loss-halved', 'end']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnmodel.datacheck import DataReport, check_trajectory
from nnmodel.snapshots import (
    JUMP_FACTOR,
    MAX_JUMPS,
    Jump,
    choose_snapshots,
    loss_jumps,
)
from nnmodel.trajectory import Trajectory
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.timeline import Beat
from scenes.evolution.chart import latest
from scenes.evolution.problems import Problem, Timeline, problem_onsets, timeline
from scenes.evolution.timing import Clock, snapshot_gaps
from scenes.narration import evolution as words
from scenes.narration import warp as warp_words
from scenes.narration.text import Line

__all__ = [
    "CAPTION",
    "DROP_SHARE",
    "DROP_WINDOW",
    "END_HOLD",
    "FINDING_HOLD",
    "MAX_FINDINGS",
    "HOLD",
    "MAX_CHECK_INS",
    "MAX_GAP",
    "MIN_GAP",
    "PIECES",
    "QUIET",
    "SPIKE",
    "SPIKE_GAP",
    "SPIKE_ROOM",
    "START_HOLD",
    "Moment",
    "Spike",
    "loss_spike",
    "loss_spikes",
    "check_ins",
    "quiet_moments",
    "sharp_drop",
    "evolution_plan",
    "finding_beats",
    "plateau",
    "key_moments",
    "log_spaced",
    "longest_gap",
    "make_clock",
    "run_pieces",
    "seconds",
    "snapshots_wanted",
]

#: Seconds of each fixed piece of a beat (the scene plays exactly these).
CAPTION = 0.5  # a caption cross-fade
FADE_IN = 1.0  # the furniture fading in
READ = 2.2  # a still while an explanatory caption is read
HOLD = 1.6  # the pause at a key moment, before training runs on
START_HOLD = 2.4  # the pause at epoch 0 (its caption goes when training starts)
END_HOLD = 3.0  # the last frame, held
FINDING_HOLD = 3.2  # what went wrong in a layer: its caption and tag, read
#: At most this many "what went wrong" beats (one per hidden layer with a problem, then the
#: run's lack of progress); a deeper network's later layers are left to ``nnwarp inspect``.
MAX_FINDINGS = 4
#: Least screen seconds of training between two key moments (closer ones are merged), and
#: between a key moment and the start or the end (closer ones are left to those captions).
MIN_GAP = 2.0
#: The most screen seconds of training under one caption: a longer stretch between key
#: moments gets check-ins (:func:`check_ins`), so no caption lingers over half of a default
#: 24-second training and a voice is never silent that long.
QUIET = 12.0
#: At most this many check-ins in one video (key moments come on top).
MAX_CHECK_INS = 6
#: A check-in also tells a sharp drop of the loss on such a stretch: at least this share of
#: its value lost within this many screen seconds (:func:`sharp_drop`).
DROP_SHARE = 0.2
DROP_WINDOW = 1.0
#: A jump of the training loss is told (:func:`loss_spikes`) when the loss reaches at least
#: this many times its recent level (:func:`nnmodel.snapshots.loss_jumps`, the detector
#: the exporter keeps the jumps' snapshots by).
SPIKE = JUMP_FACTOR
#: Least screen seconds between a jump's peak and the start, the end or a key moment (a key
#: moment closer than that is left to the charts: the jump is the news). Less than
#: :data:`MIN_GAP`: a jump is told even late, its caption read in its own pause. Two jumps
#: are told only :data:`MIN_GAP` apart (the stronger wins).
SPIKE_GAP = CAPTION
#: On a linear clock, training has reached its plateau once the training loss stays within
#: this share of its whole fall from its final value (and the accuracy within
#: ``words.CHANGE`` of its final one); a plateau taking at least :data:`PLATEAU_SCREEN` of
#: the training's screen time is said at its start (:func:`plateau`).
PLATEAU_SHARE = 0.1
PLATEAU_SCREEN = 0.5
#: The longest screen time between two stored snapshots for a faithful video (the picture
#: between them is interpolated): see :func:`snapshots_wanted`.
MAX_GAP = 0.25
#: Snapshots a video asks for on top of its log-spaced ones: the exporter keeps 3 for each
#: jump of the loss (:func:`nnmodel.snapshots.jump_epochs`), in place of log-spaced ones.
SPIKE_ROOM = 3 * MAX_JUMPS
#: The pieces of each kind of beat: ``("play", seconds)`` animations and ``("wait",
#: seconds)`` still frames, in the order the scene plays them. A ``"moment"`` beat then
#: runs the training on to the next key moment (:func:`run_pieces`).
PIECES: dict[str, tuple[tuple[str, float], ...]] = {
    "intro": (("play", CAPTION), ("play", FADE_IN), ("wait", 1.2)),
    "explain": (("play", CAPTION), ("wait", READ)),
    "start": (("play", CAPTION), ("wait", START_HOLD)),
    "moment": (("play", CAPTION), ("wait", HOLD)),
    "end": (("play", CAPTION), ("wait", END_HOLD)),
    "finding": (("play", CAPTION), ("wait", FINDING_HOLD)),
    "onset": (("play", CAPTION), ("wait", FINDING_HOLD)),
}


def seconds(pieces: Sequence[tuple[str, float]], fps: float) -> float:
    """How long ``pieces`` take at ``fps``, counted in whole frames as Manim counts them.

    An animation of ``t`` seconds draws ``len(arange(0, t, 1/fps))`` frames; a still held
    ``t`` seconds is ``int(t / (1/fps))`` frames; anything shorter than a frame lasts one.

    >>> seconds((("play", 0.8), ("wait", 1.1)), 4)
    2.0
    """
    dt = 1 / fps
    frames = 0
    for kind, t in pieces:
        t = max(t, dt)
        frames += len(np.arange(0, t, dt)) if kind == "play" else int(t / dt)
    return frames * dt


def run_pieces(frames: int, fps: float) -> tuple[tuple[str, float], ...]:
    """The training run of ``frames`` frames as a piece: an animation of ``frames − ½``
    frames' time, which Manim draws as exactly ``frames`` frames.

    >>> seconds(run_pieces(7, 15.0), 15.0) * 15
    7.0
    """
    return (("play", (frames - 0.5) / fps),)


#: The key moments' kinds, in the order their captions prefer them.
EVENTS = ("passed", "tenth", "halved")


#: A sharp jump of the training loss (:func:`loss_spikes`): its start, peak, end (``back``,
#: None if the loss never came back) and factor.
Spike = Jump


@dataclass(frozen=True)
class Moment:
    """A key moment of the training: its epoch and what happened by then."""

    epoch: int
    #: The first epoch where the training loss was at most half its first value.
    halved_at: int | None = None
    #: The first epoch where the training loss was at most a tenth of its first value.
    tenth_at: int | None = None
    #: The first epoch where the training accuracy reached 90 %.
    passed_at: int | None = None
    #: A check-in right after a sharp drop of the loss (:func:`sharp_drop`): the epoch the
    #: drop started, and the share of the loss it took away.
    drop: tuple[int, float] | None = None
    #: The loss jumped, peaking at this moment's epoch.
    spike: Spike | None = None
    #: A problem the health check first sees at this moment's epoch
    #: (:func:`scenes.evolution.problems.problem_onsets`).
    problem: Problem | None = None
    #: On a linear clock, the start of a long stretch where training changes little
    #: (:func:`plateau`).
    plateau: bool = False

    @property
    def check_in(self) -> bool:
        """Whether nothing happened at this moment: a check-in on a long stretch."""
        return (
            self.spike is None
            and self.problem is None
            and not self.plateau
            and all(getattr(self, f"{k}_at") is None for k in EVENTS)
        )

    @property
    def id(self) -> str:
        """The beat's id (a jump's beat, like a check-in's, is named after its epoch)."""
        if self.problem is not None:
            return _problem_id(self.problem)
        if self.plateau:
            return "plateau"
        if self.check_in or self.spike is not None:
            return f"epoch-{self.epoch}"
        if self.passed_at is not None:
            return "accuracy-90"
        return "loss-tenth" if self.tenth_at is not None else "loss-halved"

    def pins(self) -> list[tuple[int, int, str]]:
        """What this moment marks on the charts, as ``(chart, epoch, label)`` (chart 0 the
        loss, 1 the accuracy): the events its caption tells, where they happened."""
        out: list[tuple[int, int, str]] = []
        if self.spike is not None:
            out.append((0, self.epoch, f"×{self.spike.factor:.0f}"))
        if self.drop is not None:
            out.append((0, self.epoch, f"−{self.drop[1] * 100:.0f} %"))
        if self.tenth_at is not None:
            out.append((0, self.tenth_at, "÷10"))
        elif self.halved_at is not None:
            out.append((0, self.halved_at, "÷2"))
        if self.passed_at is not None:
            out.append((1, self.passed_at, f"{words.ACCURACY_MARK * 100:.0f} %"))
        return out

    def merged(self, later: Moment) -> Moment:
        """This moment and a later one, told together at the later one's epoch."""
        return Moment(
            later.epoch,
            **{
                f"{k}_at": getattr(later, f"{k}_at")
                if getattr(later, f"{k}_at") is not None
                else getattr(self, f"{k}_at")
                for k in EVENTS
            },
        )


def _first(values: Sequence[float | None], test: Any, last: int) -> int | None:
    for epoch, v in enumerate(values[: last + 1]):
        if v is not None and np.isfinite(v) and test(v):
            return epoch
    return None


def key_moments(traj: Trajectory, clock: Clock, min_gap: float = MIN_GAP) -> list[Moment]:
    """The key moments between the start and the end, in order (see the module docstring).

    Moments less than ``min_gap`` screen seconds apart become one, at the later epoch; a
    moment less than ``min_gap`` from the start or the end is left out. Each jump of the
    loss a video tells (:func:`loss_spikes`) is a moment of its own, at its peak, even
    closer to the end; a key moment less than :data:`SPIKE_GAP` from one is left out.
    """
    m = traj.info.metrics
    last = clock.last_epoch
    loss0 = latest(m.train_loss, 0)
    acc0 = latest(m.train_acc, 0)
    found: dict[str, int | None] = dict.fromkeys(EVENTS)
    if loss0 is not None and loss0 > 0:
        found["halved"] = _first(m.train_loss, lambda v: v <= loss0 / 2, last)
        found["tenth"] = _first(m.train_loss, lambda v: v <= loss0 / 10, last)
    if acc0 is None or acc0 < words.ACCURACY_MARK:
        found["passed"] = _first(m.train_acc, lambda v: v >= words.ACCURACY_MARK - 1e-9, last)
    events = sorted((e, kind) for kind, e in found.items() if e is not None)
    moments: list[Moment] = []
    for epoch, kind in events:
        at: dict[str, Any] = {f"{kind}_at": epoch}
        new = Moment(epoch, **at)
        if moments and clock.seconds(epoch) - clock.seconds(moments[-1].epoch) < min_gap:
            new = moments.pop().merged(new)
        moments.append(new)
    moments = [
        mo
        for mo in moments
        if clock.seconds(mo.epoch) >= min_gap
        and clock.duration - clock.seconds(mo.epoch) >= min_gap
    ]
    jumps = loss_spikes(clock, m.train_loss)
    peaks = [clock.seconds(jump.peak) for jump in jumps]
    kept = [
        mo for mo in moments if all(abs(clock.seconds(mo.epoch) - t) >= SPIKE_GAP for t in peaks)
    ]
    told = [Moment(jump.peak, spike=jump) for jump in jumps]
    return sorted([*kept, *told], key=lambda mo: mo.epoch)


def loss_spikes(clock: Clock, loss: Sequence[float | None]) -> list[Spike]:
    """The jumps of the training loss a video on ``clock`` tells, in epoch order.

    The jumps are :func:`nnmodel.snapshots.loss_jumps`' (the strongest :data:`MAX_JUMPS`,
    measured on the log clock whatever ``clock`` is: the very jumps whose start, peak and
    end the exporter stores as snapshots). Told, strongest first, are those whose peak is
    at least :data:`SPIKE_GAP` from the start and the end on screen and at least
    :data:`MIN_GAP` from a stronger one told (so their captions never crowd each other).

    >>> loss = [0.03] * 300 + [0.3] + [0.03] * 300 + [0.06, 0.6, 0.03] + [0.03] * 97
    >>> [(s.peak, s.factor) for s in loss_spikes(Clock(1000), loss)]
    [(300, 10.0), (602, 20.0)]
    >>> loss_spikes(Clock(1000, "linear", 4.0), loss)[0].peak  # 1.2 s apart: the stronger
    602
    """
    return sorted(_told(clock, loss), key=lambda jump: jump.peak)


def _told(clock: Clock, loss: Sequence[float | None]) -> list[Spike]:
    """:func:`loss_spikes`, strongest first."""
    told: list[Spike] = []
    for jump in loss_jumps(loss, clock.last_epoch):
        t = clock.seconds(jump.peak)
        if t < SPIKE_GAP or clock.duration - t < SPIKE_GAP:
            continue
        if any(abs(t - clock.seconds(other.peak)) < MIN_GAP for other in told):
            continue
        told.append(jump)
    return told


def loss_spike(clock: Clock, loss: Sequence[float | None]) -> Spike | None:
    """The strongest jump of the training loss a video on ``clock`` tells
    (:func:`loss_spikes`), or None if it tells none (a falling or flat loss never jumps).

    >>> loss = [0.03] * 700 + [0.05, 0.75, 0.2] + [0.03] * 298  # a jump at epoch 701
    >>> loss_spike(Clock(1000), loss)
    Jump(start=699, peak=701, back=703, factor=25.0)
    >>> loss_spike(Clock(1000), [0.7 * 0.99**e for e in range(1001)]) is None
    True
    """
    told = _told(clock, loss)
    return told[0] if told else None


def _digits(epoch: int) -> int:
    """Significant digits of a positive whole number: how round it is (100 has 1)."""
    return len(str(epoch).rstrip("0"))


def check_ins(clock: Clock, stops: Sequence[int], quiet: float = QUIET) -> list[int]:
    """Epochs that cut every stretch between consecutive ``stops`` longer than ``quiet``
    screen seconds into equal pieces, each moved to the roundest epoch within a quarter
    piece of its place (the closest of the roundest), so a check-in reads "At epoch 300",
    not "At epoch 287".

    >>> check_ins(Clock(1000, "log", 24.0), [0, 1000])  # 24 s: cut in two, near 12 s
    [90]
    >>> check_ins(Clock(5000, "log", 60.0), [0, 5000])
    [80, 300, 700, 2000]
    """
    out: list[int] = []
    for a, b in zip(stops, stops[1:], strict=False):
        start, gap = clock.seconds(a), clock.seconds(b) - clock.seconds(a)
        n = int(np.ceil(gap / quiet - 1e-9))
        for i in range(1, n):
            target = start + gap * i / n
            lo, hi = (clock.epoch((target + d * gap / n / 4) / clock.duration) for d in (-1, 1))
            exact = round(clock.epoch(target / clock.duration))
            near = [exact] + [
                m * 10**p
                for p in range(len(str(b)))
                for m in range(1, 100)
                if lo <= m * 10**p <= hi
            ]
            near = [e for e in near if a < e < b and e not in out]
            if near:
                out.append(min(near, key=lambda e: (_digits(e), abs(clock.seconds(e) - target))))
    return out


def sharp_drop(
    clock: Clock,
    loss: Sequence[float | None],
    a: int,
    b: int,
    window: float = DROP_WINDOW,
    share: float = DROP_SHARE,
) -> tuple[int, int, float] | None:
    """The sharpest fall of the training loss between epochs ``a`` and ``b``, if it is
    sharp: ``(start, end, share taken away)`` of the ``window`` screen seconds where the loss
    lost the most of its value, when that is at least ``share``, at least three times what
    it lost in the ``window`` before (a cliff, not the steady fall of early training), and
    the end is at least :data:`MIN_GAP` from ``a`` and ``b`` on screen; None otherwise.

    >>> loss = [0.6] * 300 + [0.3] * 701  # a cliff at epoch 300
    >>> sharp_drop(Clock(1000, "linear", 24.0), loss, 0, 1000)
    (258, 300, 0.5)
    >>> steady = [0.9 * 0.99**e for e in range(1001)]  # falls as fast all along
    >>> sharp_drop(Clock(1000, "linear", 24.0), steady, 0, 1000) is None
    True
    """
    values = np.array([np.nan if v is None else v for v in loss[: b + 1]], dtype=np.float64)
    ends = np.arange(a + 1, b + 1)
    if ends.size == 0:
        return None
    secs = clock.duration * np.asarray(clock.fraction(ends))
    starts = np.floor(np.asarray(clock.epoch((secs - window) / clock.duration)) + 1e-9)
    starts = np.maximum(starts.astype(int), a)
    earlier = np.floor(np.asarray(clock.epoch((secs - 2 * window) / clock.duration)) + 1e-9)
    earlier = np.maximum(earlier.astype(int), 0)
    first, before, after = values[earlier], values[starts], values[ends]
    with np.errstate(invalid="ignore", divide="ignore"):
        fell = np.where(before > 0, (before - after) / before, np.nan)
        fell_before = np.where(first > 0, (first - before) / first, 0.0)
    fell[fell_before * 3 > fell] = -np.inf  # no faster than just before: not a cliff
    edge = (secs - clock.seconds(a) < MIN_GAP) | (clock.seconds(b) - secs < MIN_GAP)
    fell[edge | ~np.isfinite(fell)] = -np.inf
    k = int(np.argmax(fell))
    if fell[k] < share:
        return None
    return int(starts[k]), int(ends[k]), round(float(fell[k]), 6)


def quiet_moments(
    clock: Clock,
    stops: Sequence[int],
    loss: Sequence[float | None],
    quiet: float = QUIET,
    most: int = MAX_CHECK_INS,
) -> list[Moment]:
    """Check-ins for the stretches between ``stops`` (the start, the key moments, the end)
    longer than ``quiet`` screen seconds: one right after the stretch's sharpest drop of the
    loss if it has one (:func:`sharp_drop`), then even cuts (:func:`check_ins`) of whatever
    is still longer than ``quiet``. At most ``most``: a long video (``--duration 600``) gets
    longer quiet stretches rather than a caption every 12 seconds.

    >>> len(quiet_moments(Clock(1000, "log", 600.0), [0, 1000], [1.0] * 1001))
    6
    """
    while True:
        out: list[Moment] = []
        for a, b in zip(stops, stops[1:], strict=False):
            if clock.seconds(b) - clock.seconds(a) <= quiet:
                continue
            inner = [a, b]
            drop = sharp_drop(clock, loss, a, b)
            if drop is not None:
                start, end, fell = drop
                out.append(Moment(end, drop=(start, fell)))
                inner = [a, end, b]
            out += [Moment(e) for e in check_ins(clock, inner, quiet)]
        if len(out) <= most:
            return sorted(out, key=lambda mo: mo.epoch)
        quiet *= 1.25


def plateau(
    clock: Clock,
    loss: Sequence[float | None],
    acc: Sequence[float | None],
    screen: float = PLATEAU_SCREEN,
) -> int | None:
    """The epoch from which the training changes little, if that leaves at least
    ``screen`` of the clock's screen time to an unchanging picture, else None.

    From there on the training loss stays within :data:`PLATEAU_SHARE` of its whole fall
    of its final value, and the training accuracy within ``words.CHANGE`` of its final
    one. A linear clock gives every epoch the same time, so a training that learns in its
    first tenth of epochs then shows the same picture for most of the video.

    >>> loss = [0.7 * 0.95**e + 0.3 for e in range(1001)]  # learnt by epoch 50
    >>> plateau(Clock(1000, "linear"), loss, [0.9] * 1001)
    45
    >>> steady = [0.7 - 0.0004 * e for e in range(1001)]  # learning to the end
    >>> plateau(Clock(1000, "linear"), steady, [0.9] * 1001) is None
    True
    """
    values = np.array([np.nan if v is None else v for v in loss], np.float64)
    accs = np.array([np.nan if v is None else v for v in acc], np.float64)
    last = clock.last_epoch
    values, accs = values[: last + 1], accs[: last + 1]
    if len(values) < 2 or not np.isfinite(values[[0, -1]]).all():
        return None
    fall = values[0] - values[-1]
    if fall <= 0:
        return None
    near = np.abs(np.nan_to_num(values, nan=values[-1]) - values[-1]) <= PLATEAU_SHARE * fall
    if np.isfinite(accs[-1]):
        near &= np.abs(np.nan_to_num(accs, nan=accs[-1]) - accs[-1]) < words.CHANGE
    # the first epoch from which every later one is near the end
    later_far = np.flatnonzero(~near)
    start = int(later_far[-1]) + 1 if len(later_far) else 0
    if start >= last or clock.seconds(last) - clock.seconds(start) < screen * clock.duration:
        return None
    return start


def evolution_plan(
    traj: Trajectory,
    *,
    fps: float = 60.0,
    mapping: str = "log",
    duration: float | None = None,
) -> list[Beat]:
    """The beats of the evolution scene, in order.

    Every beat's ``data["epoch"]`` is the epoch shown while its caption appears. The
    ``"run"`` beat (training starts, its caption cross-fading in over its first
    ``data["swap"]`` frames), each ``"moment"`` beat (a caption, a pause, then the run) and
    each ``"onset"`` beat (a problem first seen, tagged on its layer's picture, then the
    run) run the training to ``data["until"]`` in ``data["frames"]`` frames; the frames of
    all runs add up to ``clock.frames(fps)``. A problem first seen at the very frame of
    another stop is a ``"finding"`` beat (no run) just before that stop's beat (after the
    epoch-0 one).
    """
    clock = make_clock(traj, mapping, duration)
    m = traj.info.metrics
    last = clock.last_epoch
    widths = [2, *[L.d_out for L in traj.layers]]
    report = check_trajectory(traj)

    def took(kind: str, *extra: tuple[str, float]) -> float:
        return seconds((*PIECES[kind], *extra), fps)

    intro_section, training, the_end = "Introduction", "Training", "The end"
    beats = [
        Beat(
            "intro",
            intro_section,
            words.intro(traj.info.dataset.name, widths, last, clock.mapping),
            took("intro"),
            kind="intro",
            data={"epoch": 0},
        ),
        Beat(
            "plane",
            intro_section,
            words.plane(traj.n_classes, light=light_background()),
            took("explain"),
            kind="explain",
            data={"epoch": 0},
        ),
    ]
    hidden = traj.hidden_layers
    if hidden:
        projected = [
            (L.index + 1, L.d_out, L.explained[1] if L.explained else None)
            for L in hidden
            if L.projected
        ]
        beats.append(
            Beat(
                "layers",
                intro_section,
                words.layers(len(hidden), projected),
                took("explain"),
                kind="explain",
                data={"epoch": 0},
            )
        )
    data_line = words.data_check(report)
    if data_line is not None:
        beats.append(
            Beat(
                "data", intro_section, data_line, took("explain"), kind="explain", data={"epoch": 0}
            )
        )
    loss0 = latest(m.train_loss, 0)
    first_loss = loss0 if loss0 is not None else float("nan")
    total = clock.frames(fps)

    def frame(epoch: int) -> int:
        return round(clock.fraction(epoch) * total)

    health = timeline(traj)
    onsets = problem_onsets(traj, health)[:MAX_FINDINGS]
    moments = key_moments(traj, clock)
    # A problem first seen at the frame of the start, of a key moment or of the end is told
    # there; any other stops the training at its own epoch.
    fixed = {frame(e): e for e in (0, *[mo.epoch for mo in moments], last)}
    at_stop: dict[int, list[Problem]] = {}
    for p in onsets:
        if frame(p.epoch) in fixed:
            at_stop.setdefault(fixed[frame(p.epoch)], []).append(p)
        elif all(frame(mo.epoch) != frame(p.epoch) for mo in moments):
            moments.append(Moment(p.epoch, problem=p))
        else:  # a second problem at the frame of one told on its own
            twin = next(mo for mo in moments if frame(mo.epoch) == frame(p.epoch))
            at_stop.setdefault(twin.epoch, []).append(p)
    flat = plateau(clock, m.train_loss, m.train_acc) if clock.mapping == "linear" else None
    if flat is not None:
        # said on its own, at least MIN_GAP after the start or a moment near it
        near = [0, *[mo.epoch for mo in moments if mo.epoch <= flat]]
        if clock.seconds(flat) - clock.seconds(max(near)) < MIN_GAP:
            flat = int(np.ceil(clock.epoch((clock.seconds(max(near)) + MIN_GAP) / clock.duration)))
        if all(frame(mo.epoch) != frame(flat) for mo in moments) and frame(flat) < frame(last):
            moments.append(Moment(flat, plateau=True))
    moments.sort(key=lambda mo: mo.epoch)
    told = [0, *[mo.epoch for mo in moments], last]
    extra = quiet_moments(clock, told, m.train_loss)
    moments = sorted([*moments, *extra], key=lambda mo: mo.epoch)
    stops = [0, *[mo.epoch for mo in moments], last]
    at_frame = [frame(e) for e in stops]
    decay = _decays(traj)

    def problem_line(p: Problem, *, epoch: int | None) -> Line:
        activation = traj.layers[p.layer].activation if p.layer is not None else ""
        cause = None
        if p.layer == 0 and "saturated-unit" in p.kinds:
            cause = warp_words.diagnosis(report, 1.0) if not report.standardized else None
        return words.finding(
            p.layer,
            list(p.problems),
            activation,
            p.sentences,
            epoch=epoch,
            units=p.units,
            onto=p.onto,
            vanished=p.vanished,
            blocks=p.blocks,
            decay=decay,
            cause=cause,
        )

    def problem_data(p: Problem) -> dict[str, Any]:
        return {
            "epoch": p.epoch,
            "layer": p.layer,
            "tags": words.problem_tags(p.problems, p.onto, p.vanished),
        }

    def findings_at(epoch: int) -> list[Beat]:
        return [
            Beat(
                _problem_id(p),
                training,
                problem_line(p, epoch=p.epoch),
                took("finding"),
                kind="finding",
                data={**problem_data(p), "epoch": epoch},
            )
            for p in at_stop.get(epoch, [])
        ]

    lines: list[tuple[str, Line]] = [
        ("start", words.start(first_loss, _value(m.train_acc, 0), latest(m.test_acc, 0)))
    ]
    spikes_told = 0
    for since, mo in zip(stops, moments, strict=False):
        e = mo.epoch
        if mo.problem is not None:
            lines.append((mo.id, problem_line(mo.problem, epoch=e)))
            continue
        if mo.plateau:
            lines.append(
                (
                    mo.id,
                    words.plateau(
                        e,
                        last,
                        _value(m.train_loss, e, float("nan")),
                        _value(m.train_loss, last, float("nan")),
                        _value(m.train_acc, e),
                        _value(m.train_acc, last),
                    ),
                )
            )
            continue
        if mo.spike is not None:
            jump = mo.spike
            line = words.spike(
                e,
                _value(m.train_loss, e, float("nan")),
                first_loss,
                _value(m.train_acc, e),
                latest(m.test_acc, e),
                before=(
                    jump.start,
                    _value(m.train_loss, jump.start, float("nan")),
                    _value(m.train_acc, jump.start),
                ),
                back=None
                if jump.back is None
                else (jump.back, _value(m.train_loss, jump.back, float("nan"))),
                again=spikes_told > 0,
            )
            spikes_told += 1
            lines.append((mo.id, line))
            continue
        if mo.check_in:
            line = words.check_in(
                e,
                since,
                _value(m.train_loss, e, float("nan")),
                _value(m.train_loss, since, float("nan")),
                _value(m.train_acc, e),
                _value(m.train_acc, since),
                latest(m.test_acc, e),
                dropped=None
                if mo.drop is None
                else (mo.drop[0], _value(m.train_loss, mo.drop[0], float("nan"))),
                report=report,
            )
            lines.append((mo.id, line))
            continue
        fell = mo.tenth_at if mo.tenth_at is not None else mo.halved_at
        line = words.moment(
            e,
            _value(m.train_loss, e, float("nan")),
            first_loss,
            _value(m.train_acc, e),
            latest(m.test_acc, e),
            halved_at=mo.halved_at,
            tenth_at=mo.tenth_at,
            passed_at=mo.passed_at,
            fell_to=_value(m.train_loss, fell, float("nan")) if fell is not None else None,
            report=report,
        )
        lines.append((mo.id, line))
    for k, (beat_id, line) in enumerate(lines):
        frames = at_frame[k + 1] - at_frame[k]
        segment = {"epoch": stops[k], "until": stops[k + 1], "frames": frames}
        if k == 0:
            # Epoch 0 is read while nothing moves; then training starts under a caption
            # about training itself, cross-faded in over its first frames.
            beats.append(
                Beat(beat_id, training, line, took("start"), kind="start", data={"epoch": 0})
            )
            beats += findings_at(0)
            swap = min(frames, max(1, round(CAPTION * fps)))
            pieces = run_pieces(swap, fps) + (
                run_pieces(frames - swap, fps) if frames > swap else ()
            )
            beats.append(
                Beat(
                    "training",
                    training,
                    words.training(**_optimiser(traj)),
                    seconds(pieces, fps),
                    kind="run",
                    data={**segment, "swap": swap},
                )
            )
            continue
        beats += findings_at(stops[k])
        mo = moments[k - 1]
        if mo.problem is not None:
            beats.append(
                Beat(
                    beat_id,
                    training,
                    line,
                    took("onset", *run_pieces(frames, fps)),
                    kind="onset",
                    data={**segment, **problem_data(mo.problem), "epoch": stops[k]},
                )
            )
            continue
        beats.append(
            Beat(
                beat_id,
                training,
                line,
                took("moment", *run_pieces(frames, fps)),
                kind="moment",
                data={**segment, "pins": mo.pins()},
            )
        )
    final = traj.info.final
    diverged = getattr(final, "diverged", None)
    target = traj.info.config.get("train", {}).get("target_loss")
    end_line = words.end(
        last,
        _value(m.train_loss, last, float("nan")),
        _value(m.train_acc, last),
        latest(m.test_acc, last),
        stopped_early=final.stopped_early,
        target=float(target) if isinstance(target, (int, float)) else None,
        diverged_at=int(diverged.epoch) if diverged is not None else None,
        report=report,
    )
    beats.append(Beat("end", the_end, end_line, took("end"), kind="end", data={"epoch": last}))
    told_here = [p for p in onsets if frame(p.epoch) != frame(last)]
    ends = finding_beats(traj, took("finding"), told_here, health, report)
    return beats + ends[: max(0, MAX_FINDINGS - len(told_here))]


def light_background() -> bool:
    """Whether the theme in force has a light background (its luminance above a half)."""
    r, g, b = hex_to_rgb(theme().background)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5


def _decays(traj: Trajectory) -> bool:
    """Whether the training had weight decay (from its stored config)."""
    wd = traj.info.config.get("train", {}).get("weight_decay")
    return isinstance(wd, (int, float)) and wd > 0


def _problem_id(p: Problem) -> str:
    """The beat id of a problem told during training: ``problem-layer5-epoch-0``."""
    return f"problem-layer{(p.layer or 0) + 1}-epoch-{p.epoch}"


def finding_beats(
    traj: Trajectory,
    length: float,
    told: Sequence[Problem] = (),
    health: Timeline | None = None,
    report: DataReport | None = None,
) -> list[Beat]:
    """What is wrong at the last epoch (:func:`nnmodel.health.diagnose`) and was not told
    while training ran (``told``: the same problems of the same layer, as many units).

    One beat per hidden layer with dead or saturated units or a collapse, in layer order,
    then one if the loss barely moved; at most :data:`MAX_FINDINGS`. Each beat's
    ``data`` says which layer (None: the run) and the tag drawn beside its picture.
    """
    line = timeline(traj) if health is None else health
    if not line.found:
        return []
    at_end = line.found[-1]
    order = sorted(k for k in at_end if k is not None) + ([None] if None in at_end else [])
    decay = _decays(traj)
    beats = []
    for layer in order:
        p = at_end[layer]
        if any(t.layer == layer and t.problems == p.problems for t in told):
            continue
        activation = "" if layer is None else traj.layers[layer].activation
        cause = None
        if layer == 0 and "saturated-unit" in p.kinds and report is not None:
            cause = warp_words.diagnosis(report, 1.0) if not report.standardized else None
        said = words.finding(
            layer,
            list(p.problems),
            activation,
            p.sentences,
            units=p.units,
            onto=p.onto,
            vanished=p.vanished,
            decay=decay,
            cause=cause,
        )
        beats.append(
            Beat(
                "problem-run" if layer is None else f"problem-layer{layer + 1}",
                "What went wrong",
                said,
                length,
                kind="finding",
                data={
                    "epoch": int(traj.epochs[-1]),
                    "layer": layer,
                    "tags": words.problem_tags(p.problems, p.onto, p.vanished)
                    if layer is not None
                    else tuple(words.problem_tags(p.problems)),
                },
            )
        )
    return beats[:MAX_FINDINGS]


def _value(values: Sequence[float | None], epoch: int, default: float = 0.0) -> float:
    """The last measured value at or before ``epoch``, or ``default`` if none was."""
    v = latest(values, epoch)
    return default if v is None else v


def _optimiser(traj: Trajectory) -> dict[str, Any]:
    """How the network was trained, from its stored config (what :func:`words.training`
    takes); None for anything the config does not say."""
    train = traj.info.config.get("train", {})
    lr = train.get("lr")
    batch = train.get("batch_size")
    return {
        "optimizer": train.get("optimizer"),
        "lr": float(lr) if isinstance(lr, (int, float)) else None,
        "batch": int(batch) if isinstance(batch, int) else None,
        "n_train": int(np.count_nonzero(~traj.test_mask)),
    }


def make_clock(traj: Trajectory, mapping: str = "log", duration: float | None = None) -> Clock:
    """The clock of ``traj``'s training: from epoch 0 to its last snapshot."""
    from scenes.evolution.timing import DEFAULT_DURATION

    last = max(1, int(traj.epochs[-1]))
    return Clock(last, mapping, DEFAULT_DURATION if duration is None else float(duration))


# --------------------------------------------------------------------------- snapshots


def log_spaced(last: int, n: int) -> list[int]:
    """The snapshot epochs ``nnwarp train --snapshots n`` stores for ``last`` epochs.

    The exporter's rule (:func:`nnmodel.snapshots.choose_snapshots`) for a training that
    recorded every epoch and whose loss never jumps: ``n`` epochs log-spaced from 0 to
    ``last``, each at least one after the one before (so the first few are every epoch).

    >>> log_spaced(100, 5)
    [0, 2, 9, 31, 100]
    """
    return choose_snapshots(range(last + 1), last, n)


def longest_gap(epochs: Sequence[int], clock: Clock) -> float:
    """The longest screen time between two stored snapshots that are not consecutive epochs
    (between consecutive epochs there is nothing more to store)."""
    e = np.asarray(epochs, np.int64)
    gaps = snapshot_gaps(e, clock)
    avoidable = np.diff(e) > 1
    return float(gaps[avoidable].max()) if avoidable.any() else 0.0


def snapshots_wanted(clock: Clock, max_gap: float = MAX_GAP, most: int = 1000) -> int:
    """How many snapshots keep every avoidable gap on ``clock`` under ``max_gap`` seconds
    (at most ``most``, the trajectory file's limit): enough log-spaced ones
    (:func:`log_spaced`), plus :data:`SPIKE_ROOM` for the jumps of the loss the exporter
    keeps in their place (:func:`nnmodel.snapshots.choose_snapshots`).

    The gaps do not always shrink as snapshots are added (where log-spaced snapshots stop
    being consecutive epochs, one more can widen the longest gap), so the count is the
    least whose log-spaced part is short enough with any number of jumps kept: every
    count from it less :data:`SPIKE_ROOM` up to it keeps the gaps under ``max_gap``.

    >>> snapshots_wanted(Clock(1000)), snapshots_wanted(Clock(1000, "linear"))
    (162, 680)
    """
    short: dict[int, bool] = {}

    def fits(m: int) -> bool:
        if m not in short:
            short[m] = longest_gap(log_spaced(clock.last_epoch, m), clock) <= max_gap
        return short[m]

    n = _log_spaced_wanted(clock, max_gap, most) + SPIKE_ROOM
    while n < most and not all(fits(m) for m in range(n - SPIKE_ROOM, n + 1)):
        n += 1
    return min(n, most)


def _log_spaced_wanted(clock: Clock, max_gap: float, most: int) -> int:
    """How many log-spaced snapshots alone keep every avoidable gap under ``max_gap``."""
    lo, hi = 2, most
    if longest_gap(log_spaced(clock.last_epoch, hi), clock) > max_gap:
        return most
    while lo < hi:
        mid = (lo + hi) // 2
        if longest_gap(log_spaced(clock.last_epoch, mid), clock) <= max_gap:
            hi = mid
        else:
            lo = mid + 1
    return lo
