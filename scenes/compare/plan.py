"""The comparison as a plan of beats, computed from the runs before anything is drawn.

Three sections: the cells appear ("Introduction"; a description too long for the
captions is shown on its own first, for as long as it takes to read); every run trains
on one clock ("Training"), in beats whose captions announce what happens to the runs (a
run stops early, a unit dies) from the first epoch it is true; the last beats name the
best run (or a tie, or that no run does well) and, when one option of the grid explains
the results, say so ("Results"). Every duration is a whole number of frames at the
video's frame rate, and the clock advances one clock frame per video frame, so the plan
knows at which frame every badge appears. :class:`scenes.compare.scene.Compare` plays
the beats and checks each took what the plan says. Nothing here imports Manim.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from nnmodel.health import Finding, diagnose
from nnmodel.trajectory import Trajectory
from scenes.compare.clock import Clock, Track
from scenes.compare.grid import Grid, differing_options
from scenes.compare.layout import (
    BADGE_PAD,
    Layout,
    LayoutError,
    description_lines,
    fit_lines,
    layout,
    legend_lines,
)
from scenes.compare.yardstick import yardstick
from scenes.core.timeline import READING_CPS, Beat
from scenes.errors import RenderError
from scenes.narration import compare as words
from scenes.narration.compare import BadgeText, Event, Result
from scenes.narration.text import Line

__all__ = [
    "CAPTION",
    "CLOCK_SECONDS",
    "MAX_BADGES",
    "MERGE",
    "MIN_SEGMENT",
    "BadgePlan",
    "CellPlan",
    "ComparePlan",
    "compare_plan",
    "frames",
    "group_events",
]

#: Seconds of the fixed pieces of the beats (each a whole number of frames).
CAPTION = 0.5  # a caption cross-fade (the clock keeps running under it)
FADE_IN = 1.0  # the cells appear
LOOK = 1.5  # a look at the untrained networks before the clock starts
HIGHLIGHT = 1.0  # the best cell is framed
READ = 3.0  # the last caption is read
END = 0.5  # the last frame, held
#: Seconds of the whole clock, epoch 0 to the last, whatever the number of epochs.
CLOCK_SECONDS = 14.0
#: A caption stays up at least this long (the clock beat after it is at least this long).
MIN_SEGMENT = 2.5
#: Events closer than this on the clock are announced by one caption.
MERGE = 1.0
#: At most this many captions announce events; closer events are merged until they fit.
MAX_EVENT_BEATS = 5
#: At most this many badges per cell (the first ones in :data:`PRIORITY` order).
MAX_BADGES = 3
#: Which badges a crowded cell keeps first.
PRIORITY = (
    words.STOPPED,
    words.DIVERGED,
    words.ENDED,
    words.DEAD,
    words.COLLAPSED,
    words.SATURATED,
    words.NO_PROGRESS,
)
#: Badges that report a problem (drawn as warnings); the others are facts.
FACTS = (words.STOPPED, words.ENDED)


def frames(seconds: float, fps: float) -> int:
    """Whole frames for ``seconds`` at ``fps`` (at least one).

    >>> frames(0.5, 15), frames(0.5, 60), frames(0.01, 15)
    (8, 30, 1)
    """
    return max(1, round(seconds * fps))


@dataclass(frozen=True)
class BadgePlan:
    """A badge of a cell: its words, and when it appears.

    ``epoch`` is the cell's epoch from which it shows, ``frame`` the clock frame at which
    the clock reaches it (and the badge appears). ``lines`` is how it is written in the
    cell (one line, or two when one does not fit). ``sentence`` says what it is at
    ``epoch`` (for the caption that announces it); ``count`` is how many units it counts
    (0: several, their number changing while the badge is up).
    """

    kind: str
    epoch: int
    frame: int
    text: BadgeText
    lines: tuple[str, ...]
    warn: bool
    sentence: str = ""
    count: int = 1


@dataclass(frozen=True)
class CellPlan:
    """One run of the comparison: label, track on the clock, badges, final numbers."""

    index: int
    label: str
    track: Track
    badges: tuple[BadgePlan, ...]
    result: Result
    stopped_early: bool


@dataclass(frozen=True)
class ComparePlan:
    """Everything the comparison scene draws, decided before drawing.

    Attributes
    ----------
    beats : list of Beat
        In order; each has ``kind`` ``"intro"``, ``"clock"`` or ``"results"`` and its
        pieces in frames in ``data``.
    clock : Clock
        The shared epoch clock.
    clock_frames : int
        Video frames from epoch 0 to the clock's last epoch (clock frame ``f`` shows epoch
        ``clock.epoch_at(f / clock_frames)``).
    cells : tuple of CellPlan
        Row by row, as in the grid.
    layout : Layout
        Where everything goes.
    best : int
        Index of the best run.
    loss_range : tuple of float
        ``(low, high)`` of every run's training loss (for the curves' common scale).
    framed : tuple of int
        The runs the results frame: the best, or every run of a tie.
    held_out : bool
        Whether the runs are judged on their held-out points (every run has some).
    """

    beats: list[Beat]
    clock: Clock
    clock_frames: int
    fps: float
    cells: tuple[CellPlan, ...]
    layout: Layout
    best: int
    loss_range: tuple[float, float]
    framed: tuple[int, ...] = ()
    held_out: bool = False

    def epoch_at_frame(self, frame: float) -> float:
        """The clock's epoch at clock frame ``frame`` (0 … ``clock_frames``)."""
        return float(self.clock.epoch_at(frame / self.clock_frames))


def _clock_frame(clock: Clock, epoch: float, total: int) -> int:
    """The first clock frame at which the clock's epoch is at least ``epoch``.

    >>> c = Clock.for_epochs(200)
    >>> f = _clock_frame(c, 41, 840)
    >>> float(c.epoch_at(f / 840)) >= 41 > float(c.epoch_at((f - 1) / 840))
    True
    """
    f = math.ceil(float(clock.at_epoch(epoch)) * total - 1e-9)
    while f > 0 and float(clock.epoch_at((f - 1) / total)) >= epoch:
        f -= 1
    while f < total and float(clock.epoch_at(f / total)) < epoch - 1e-9:
        f += 1
    return min(max(f, 0), total)


#: A finding is reported from the first snapshot from which it holds at this share of the
#: snapshots to the end (and at the last): a snapshot or two where a borderline measure
#: misses it does not delay it to the end; one that comes and goes is not reported.
STAYS = 0.9


def _since(present: Sequence[bool]) -> int | None:
    """The first snapshot from which ``present`` holds at :data:`STAYS` of the snapshots
    to the end, the last included; None if it does not hold at the last.

    >>> _since([False, True, True, True, True, True, True, True, True, False, True, True])
    1
    >>> _since([True, False, False, True, True]), _since([True, True, False])
    (3, None)
    """
    if not present or not present[-1]:
        return None
    n = len(present)
    for s in range(n):
        if present[s] and sum(present[s:]) >= STAYS * (n - s) - 1e-9:
            return s
    return n - 1


def _onto(finding: Finding) -> str:
    """``"point"`` or ``"line"``: what a collapsed layer's points lie on (from its sentence,
    :func:`nnmodel.health.diagnose`'s)."""
    return "point" if "same place" in finding.text else "line"


@dataclass(frozen=True)
class _Found:
    """A badge of a run before layout.

    ``count`` is what the badge counts (units with the finding; 0: several, their number
    changing while it is up), ``sentence`` what it is at ``epoch``, ``loss`` the loss a
    stopped run reached.
    """

    epoch: int
    kind: str
    count: int = 1
    sentence: str = ""
    loss: float | None = None


def _persistent(
    per_snapshot: Sequence[Sequence[Finding]], activations: Sequence[str] = ()
) -> dict[str, tuple[int, int, str]]:
    """Unit and layer findings at the last snapshot, and since when they hold.

    Per kind: ``(the first snapshot from which the run has the kind for good, in any
    layer (:func:`_since`); how many units have it if that number stays until the end,
    else 0; a sentence saying what it is at that snapshot)``. The
    sentence is the finding's own, or, for a collapsed layer, one a viewer understands
    without a picture of the layer; one for all the units when several units share it
    (``activations``: each layer's, named for saturated units). A kind is followed in the
    whole network, not layer by layer: when one layer collapses,
    :func:`~nnmodel.health.diagnose` stops looking at the layers after it, so a collapse
    may move from layer 2 to layer 1 while the run stays collapsed; units may swap numbers
    between snapshots (:class:`~nnmodel.schema.UnitSwap`). A finding that comes and goes
    is reported only from when it stays, so a badge never flickers.
    """
    kinds = {f.kind for f in per_snapshot[-1] if f.layer is not None}
    out: dict[str, tuple[int, int, str]] = {}
    for kind in sorted(kinds):
        at = [[f for f in fs if f.kind == kind and f.layer is not None] for fs in per_snapshot]
        s = _since([bool(a) for a in at])
        if s is None:
            continue
        findings = at[s]
        then = sum(f.count for f in findings)
        counts = {sum(f.count for f in a) for a in at[s:] if a}
        count = then if len(counts) == 1 else 0
        sentence = findings[0].text
        if kind == words.COLLAPSED:  # one badge for the network, whichever layer
            count = 1
            sentence = words.collapse_sentence(int(findings[0].layer or 0), _onto(findings[0]))
        elif then > 1 and kind in (words.DEAD, words.SATURATED):
            shares = [f.share for f in findings if f.share is not None]
            acts = {activations[f.layer] for f in findings if f.layer is not None}
            sentence = words.units_sentence(
                kind,
                [(int(f.layer or 0), f.unit, f.count) for f in findings],
                share=min(shares) if shares else None,
                activation=next(iter(acts)) if len(acts) == 1 and activations else "",
            )
        out[kind] = (s, count, sentence)
    return out


def _badges(traj: Trajectory, clock: Clock) -> tuple[list[_Found], bool]:
    """A run's badges before layout (most important first), and whether it stopped early."""
    final = traj.info.final
    last = int(traj.epochs[-1])
    out: list[_Found] = []
    per_snapshot = [diagnose(traj, s) for s in range(traj.n_snapshots)]
    for f in per_snapshot[-1]:
        if f.layer is None:  # about the whole run: shown when the run ends
            loss = final.train_loss if f.kind == words.STOPPED else None
            out.append(_Found(last, f.kind, sentence=f.text, loss=loss))
    stopped = bool(final.stopped_early)
    if stopped and not any(b.kind == words.STOPPED for b in out):
        out.append(_Found(last, words.STOPPED, loss=final.train_loss))
    if last < clock.last and not out:
        out.append(_Found(last, words.ENDED))
    activations = [layer.activation for layer in traj.layers]
    for kind, (s, count, sentence) in _persistent(per_snapshot, activations).items():
        out.append(_Found(int(traj.epochs[s]), kind, count, sentence))
    order = {k: i for i, k in enumerate(PRIORITY)}
    out.sort(key=lambda b: (order.get(b.kind, len(order)), b.epoch))
    return out, stopped


def group_events(
    event_frames: Sequence[int], merge: int, min_segment: int, max_groups: int
) -> list[tuple[int, list[int]]]:
    """Which events each caption announces, and the clock frame it appears at.

    Events (given by their clock frames, sorted) closer than ``merge`` frames share a
    caption; while there are more than ``max_groups`` captions, the two closest are merged.
    A caption appears when the last of its events has happened, and at least
    ``min_segment`` frames after the previous one (and after the start of the clock).

    Returns ``[(frame, [event indices]), ...]``.

    >>> group_events([10, 20, 300, 310, 900], merge=30, min_segment=150, max_groups=5)
    [(150, [0, 1]), (310, [2, 3]), (900, [4])]
    >>> group_events([100, 400, 700], merge=30, min_segment=150, max_groups=2)
    [(400, [0, 1]), (700, [2])]
    """
    groups: list[list[int]] = []
    for k, f in enumerate(event_frames):
        if groups and f - event_frames[groups[-1][-1]] <= merge:
            groups[-1].append(k)
        else:
            groups.append([k])
    while len(groups) > max(max_groups, 1):
        gaps = [
            event_frames[groups[i + 1][0]] - event_frames[groups[i][-1]]
            for i in range(len(groups) - 1)
        ]
        i = int(np.argmin(gaps))
        groups[i : i + 2] = [groups[i] + groups[i + 1]]
    out: list[tuple[int, list[int]]] = []
    previous = 0
    for group in groups:
        start = max(event_frames[group[-1]], previous + min_segment)
        out.append((start, group))
        previous = start
    return out


def compare_plan(grid: Grid, *, fps: float = 60.0) -> ComparePlan:
    """The plan of the comparison of ``grid``'s runs at ``fps``.

    Raises
    ------
    RenderError
        If the runs cannot be laid out legibly (see :mod:`scenes.compare.layout`).
    """
    trajs, labels = grid.trajs, grid.flat_labels
    clock = Clock.for_epochs(max(int(t.epochs[-1]) for t in trajs))
    total = frames(CLOCK_SECONDS, fps)
    raw = [_badges(t, clock) for t in trajs]
    # The layout keeps room for the cell with the most badge lines (a stop badge may take
    # two), dropping the least important badges of a cell while they do not fit.
    texts = [
        [words.badge(b.kind, epoch=b.epoch, loss=b.loss, count=b.count) for b in bs[:MAX_BADGES]]
        for bs, _ in raw
    ]
    need = max((sum(len(t.lines) for t in ts) for ts in texts), default=0)
    chars = max((len(line) for ts in texts for t in ts for line in t.lines), default=0)
    # A legend whose names do not fit beside the clock gets a band of its own, if the
    # cells keep their room for badges with it.
    key = grid.legend
    band = 0 if key is None else legend_lines(*key)

    def laid_out(lines_free: int) -> Layout:
        try:
            return layout(grid.shape, lines_free, chars, labels, band)
        except LayoutError:
            if not band:
                raise
            return layout(grid.shape, lines_free, chars, labels)

    lines_free = max(need, 1)
    while True:
        try:
            lay = laid_out(lines_free)
            break
        except LayoutError as exc:
            if lines_free <= 1:
                raise RenderError(str(exc)) from None
            lines_free -= 1
    # the runs are judged on their held-out points when every run has some
    held_out = all(t.info.final.test_acc is not None for t in trajs)
    cells: list[CellPlan] = []
    for i, (traj, label, (badges, stopped)) in enumerate(zip(trajs, labels, raw, strict=True)):
        width = lay.cells[i].badges.width - 2 * BADGE_PAD
        kept: list[BadgePlan] = []
        used = 0
        for found in badges[:MAX_BADGES]:
            text = words.badge(found.kind, epoch=found.epoch, loss=found.loss, count=found.count)
            lines = fit_lines(text.text, text.lines, width, lay.badge_size, text.short)
            if used + len(lines) > lines_free:  # a crowded cell: fewer words, or no badge
                if used + len(text.shortest) <= lines_free:
                    lines = text.shortest
                else:
                    lines = (text.lines[0],) if used < lines_free else ()
            if not lines:
                continue
            used += len(lines)
            kept.append(
                BadgePlan(
                    found.kind,
                    found.epoch,
                    _clock_frame(clock, found.epoch, total),
                    text,
                    lines,
                    found.kind not in FACTS,
                    found.sentence,
                    found.count,
                )
            )
        metrics = traj.info.metrics
        final = traj.info.final
        track = Track.of(traj.epochs, metrics.train_loss, metrics.train_acc)
        n_test = int(traj.test_mask.sum())
        n_train = len(traj.labels) - n_test
        guess, neighbours = yardstick(traj, held_out)
        result = Result(
            label,
            final.train_loss,
            final.train_acc,
            final.test_acc,
            n_train,
            n_test,
            guess,
            neighbours,
        )
        cells.append(CellPlan(i, label, track, tuple(kept), result, stopped))

    # ---------------------------------------------------------------- beats
    def piece(seconds: float) -> int:
        return frames(seconds, fps)

    beats: list[Beat] = []

    def add(id_: str, section: str, line: Line, kind: str, n: int, **data: object) -> None:
        beats.append(Beat(id_, section, line, n / fps, kind=kind, data=data))

    # a description the captions cannot hold is shown on its own first, read, then the
    # cells appear (pieces: the caption, the reading, the cells fading in, the look)
    shown = grid.source.description.strip()
    card = description_lines(words.shown_alone(shown)) if words.on_its_own(shown) else ()
    reading = (piece(sum(map(len, card)) / READING_CPS),) if card else ()
    intro = (piece(CAPTION), *reading, piece(FADE_IN), piece(LOOK))
    targets = {_train_number(t, "target_loss") for t in trajs}
    target = next(iter(targets)) if len(targets) == 1 else None
    lengths = {_train_number(t, "epochs") for t in trajs}
    epochs = next(iter(lengths)) if len(lengths) == 1 else None
    line = words.intro(
        len(trajs),
        grid.dataset,
        grid.varies,
        grid.source.description,
        from_file=grid.from_file,
        stop=words.stop_rule(None if epochs is None else int(epochs), target),
    )
    add("intro", "Introduction", line, "intro", sum(intro), pieces=intro, description=card)

    events: list[tuple[int, int, BadgePlan]] = sorted(
        ((b.frame, c.index, b) for c in cells for b in c.badges), key=lambda e: (e[0], e[1])
    )
    groups = group_events(
        [f for f, _, _ in events], piece(MERGE), piece(MIN_SEGMENT), MAX_EVENT_BEATS
    )
    starts = [0, *[start for start, _ in groups]]
    captions = [words.clock_start(clock.last, target)]
    for _, members in groups:
        captions.append(
            words.events(
                [
                    Event(
                        labels[events[k][1]],
                        events[k][2].kind,
                        events[k][2].epoch,
                        events[k][2].sentence,
                        cells[events[k][1]].result.loss
                        if events[k][2].kind == words.STOPPED
                        else None,
                        _train_number(trajs[events[k][1]], "target_loss"),
                        events[k][2].count,
                    )
                    for k in members
                ]
            )
        )
    caption_frames = piece(CAPTION)
    for b, (start, line) in enumerate(zip(starts, captions, strict=True)):
        # A beat lasts until the next caption (≥ MIN_SEGMENT later); the last one until the
        # clock's end, and at least MIN_SEGMENT.
        last = b + 1 == len(starts)
        n = max(total - start, piece(MIN_SEGMENT)) if last else starts[b + 1] - start
        end = min(start + n, total)
        add(
            "clock" if b == 0 else f"events-{b}",
            "Training",
            line,
            "clock",
            n,
            start=min(start, total),
            end=end,
            caption=caption_frames,
        )
    verdict = words.results([c.result for c in cells])
    outro = (piece(CAPTION), piece(HIGHLIGHT), piece(READ))
    summary = words.answer([c.result for c in cells], _axes(grid), grid.source.description)
    if summary is None:
        outro = (outro[0], outro[1], outro[2] + piece(END))
    add(
        "results",
        "Results",
        verdict.line,
        "results",
        sum(outro),
        pieces=outro,
        best=verdict.best,
        framed=verdict.framed,
        held_out=verdict.held_out,
    )
    if summary is not None:
        after = (piece(CAPTION), piece(READ) + piece(END))
        add(
            "summary",
            "Results",
            summary.line,
            "summary",
            sum(after),
            pieces=after,
            framed=summary.runs,
        )

    finite = np.concatenate([c.track.loss[np.isfinite(c.track.loss)] for c in cells])
    finite = finite[finite > 0]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.1, 1.0)
    return ComparePlan(
        beats,
        clock,
        total,
        fps,
        tuple(cells),
        lay,
        verdict.best,
        (low, high),
        verdict.framed,
        verdict.held_out,
    )


def _train_number(traj: Trajectory, name: str) -> float | None:
    """A number of the run's training config (``target_loss``, ``epochs``; None without)."""
    train = traj.info.config.get("train")
    value = train.get(name) if isinstance(train, Mapping) else None
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _common(labels: Sequence[str], *, head: bool) -> str:
    """The " · "-separated pieces every label starts (``head``) or ends with, if that is
    less than each label; else "".

    >>> _common(["ReLU · lr 0.1", "ReLU · lr 0.01"], head=True)
    'ReLU'
    >>> _common(["ReLU · lr 0.1", "tanh · lr 0.1"], head=False), _common(["a", "b"], head=True)
    ('lr 0.1', '')
    """
    parts = [label.split(" · ") for label in labels]
    if not head:
        parts = [p[::-1] for p in parts]
    shared: list[str] = []
    for pieces in zip(*parts, strict=False):
        if len(set(pieces)) != 1:
            break
        shared.append(pieces[0])
    if not shared or any(len(shared) >= len(p) for p in parts):
        return ""
    return " · ".join(shared if head else shared[::-1])


def _axes(grid: Grid) -> list[words.Axis]:
    """The grid's rows and columns as :class:`~scenes.narration.compare.Axis`: each the
    option it varies and its runs, named as the cells' labels name the value (a row's
    labels share their start, a column's their end); none for a single row or column."""
    rows, cols = grid.shape
    if rows < 2 or cols < 2:
        return []
    labels = grid.labels
    configs = [t.info.config for t in grid.trajs]
    out: list[words.Axis] = []
    down = differing_options([configs[i * cols] for i in range(rows)])  # a column's runs
    across = differing_options(configs[:cols])  # a row's runs
    row_names = [_common(labels[i], head=True) for i in range(rows)]
    col_names = [_common([labels[i][j] for i in range(rows)], head=False) for j in range(cols)]
    if down and all(row_names):
        groups = tuple(
            (row_names[i], tuple(i * cols + j for j in range(cols))) for i in range(rows)
        )
        out.append(words.Axis(down[0], groups))
    if across and all(col_names):
        groups = tuple(
            (col_names[j], tuple(i * cols + j for i in range(rows))) for j in range(cols)
        )
        out.append(words.Axis(across[0], groups))
    return out
