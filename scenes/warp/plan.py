"""The warp story as a plan of beats, computed from the trajectory before anything is drawn.

Every beat knows its section, its words (:mod:`scenes.narration.warp`) and its minimum
duration; :class:`scenes.warp.scene.Warp` plays the beats in order and checks that each
took exactly what the plan says. Nothing here imports Manim.

>>> from nnmodel.trajectory import load
>>> beats = warp_plan(load("tests/data/golden.npz"))  # doctest: +SKIP
>>> [b.id for b in beats][:4]  # doctest: +SKIP
['data', 'line-question', 'line-verdict', 'layer-1.linear']
"""

from __future__ import annotations

import weakref
from dataclasses import replace

import numpy as np

from nnmodel.datacheck import check_trajectory
from nnmodel.health import COLLAPSED, diagnose
from nnmodel.trajectory import Trajectory, decide, forward
from scenes.core.boundary import boundary_curves
from scenes.core.timeline import Beat, seconds
from scenes.narration import warp as words
from scenes.narration.measure import (
    ActivationFacts,
    LinearFacts,
    ShiftFacts,
    activation_facts,
    line_accuracy,
    linear_facts,
    shift_facts,
)
from scenes.narration.text import Line
from scenes.warp import steps as motion
from scenes.warp.steps import Camera, Step, layer_kinds

__all__ = [
    "BOUNDARY",
    "CAPTION",
    "FORMULA",
    "MOVE",
    "HAND_OVER",
    "REWIND_MOVE",
    "REWIND_SLOW",
    "REWIND_TIME",
    "SEPARATOR_OUT",
    "TURN",
    "nearly_a_line",
    "rewind_move",
    "warp_plan",
]

#: Seconds of each fixed piece of a beat (the scene plays exactly these).
CAPTION = 0.5  # a caption cross-fade
FORMULA = 0.4  # swapping the panel's formula
MOVE = 2.5  # one move of the points and grid
LAYER_END = 0.4  # a breath after a layer's last move
REWIND_MOVE = 0.6  # one move undone, on the way back to the input plane, at the fastest
REWIND_SLOW = 1.0  # one move undone, at the slowest (a shallow network's rewind)
REWIND_TIME = 6.0  # the undone moves of a rewind together, where the two above allow
BOUNDARY = 0.6  # the boundary coming up on the separator, which dims
HAND_OVER = 1.2  # the two seen together: the boundary is the part of the separator at the data
SEPARATOR_OUT = 0.4  # the dimmed separator leaving, before the rewind moves
TURN = 3.0  # the slow turntable after a separator appears in 3-D
END = 0.5  # the last frame held at the very end
#: The pieces of each kind of beat: ``("play", seconds)`` animations and ``("wait", seconds)``
#: still frames, in the order the scene plays them.
PIECES: dict[str, tuple[tuple[str, float], ...]] = {
    "title": (("play", 1.0), ("wait", 1.5), ("play", 0.6)),
    "data": (("play", CAPTION), ("play", 0.8), ("play", 1.0), ("wait", 1.0)),
    "line-question": (("play", CAPTION), ("play", 1.5)),
    "line-verdict": (("play", CAPTION), ("wait", 1.5), ("play", 0.6)),
    "one-unit": (("play", CAPTION), ("wait", 1.0)),
    "step": (("play", CAPTION), ("play", FORMULA), ("play", MOVE)),
    "separator-head-2d": (("play", CAPTION), ("play", FORMULA), ("play", 1.5)),
    "separator-head-3d": (("play", CAPTION), ("play", FORMULA), ("play", 1.2), ("play", TURN)),
    "separator-score": (("play", CAPTION), ("wait", 1.5), ("play", 0.6)),
    "regions": (("play", CAPTION), ("play", 1.2), ("wait", 2.0)),
    "end": (("play", 0.4), ("play", 0.8), ("play", 1.0), ("wait", 2.5)),
}


#: Activations made of straight pieces: a network of only these (one of them bending)
#: draws a boundary of straight segments, bent at corners, never a smooth curve.
PIECEWISE = ("relu", "leaky_relu", "linear")


def boundary_shape(traj: Trajectory, snapshot: int) -> str:
    """What the network's decision boundary over the input plane looks like at
    ``snapshot``: ``"curved"``, ``"bent"`` (not straight, and made of straight pieces:
    every hidden activation is piecewise linear, :data:`PIECEWISE`), ``"straight"`` (a
    straight boundary gets at least 99 % of the mesh's predicted classes) or ``"none"``
    (one class over the whole mesh)."""
    predicted = traj.mesh(snapshot).argmax(axis=-1)
    if len(np.unique(predicted)) < 2:
        return "none"
    rows, cols = np.indices(predicted.shape)  # straightness does not depend on the scale
    cells = np.column_stack([cols.ravel(), rows.ravel()]).astype(np.float64)
    if line_accuracy(cells, predicted.ravel()) >= 0.99:
        return "straight"
    acts = {L.activation for L in traj.hidden_layers}
    return "bent" if acts and acts <= set(PIECEWISE) else "curved"


#: The network is unsure almost everywhere when fewer than this share of the input mesh
#: is coloured at least half as strongly as a sure answer (:func:`unsure_everywhere`).
SURE_SHARE = 0.1


def unsure_everywhere(traj: Trajectory, snapshot: int) -> bool:
    """Whether the decision regions at ``snapshot`` are nearly uniform: on fewer than
    :data:`SURE_SHARE` of the mesh is the network's confidence (its top probability
    above 1/K, as a share of the way to 1: what the regions' colour strength shows) at
    least one half. An untrained or stuck network is; a trained one, sure away from its
    boundary, is not."""
    probs = np.asarray(traj.mesh(snapshot), np.float64)
    k = probs.shape[-1]
    confidence = (probs.max(axis=-1) - 1 / k) / (1 - 1 / k)
    return bool(np.mean(confidence >= 0.5) < SURE_SHARE)


def baseline_accuracy(traj: Trajectory) -> float | None:
    """The share of all the points (training and held-out) on their class's side of the
    best straight line the warp draws (``traj.info.baseline``), or None without one."""
    base = traj.info.baseline
    if base is None:
        return None
    w, b = base.arrays()
    return float(np.mean(decide(traj.inputs @ w.T + b) == traj.labels))


def nearly_a_line(points: np.ndarray, ratio: float = 0.03) -> bool:
    """Whether 2-D or 3-D points have (almost) collapsed onto one direction."""
    if points.shape[-1] < 2 or len(points) < 3:
        return False
    spread = np.linalg.svd(points - points.mean(axis=0), compute_uv=False)
    return bool(spread[0] > 0 and spread[1] < ratio * spread[0])


#: Points whose widest spread is under this share of the input's have (nearly) collapsed
#: onto one spot: the picture is then a dot, whatever the zoom.
SPOT = 1e-3


def nearly_a_point(points: np.ndarray, reference: np.ndarray) -> bool:
    """Whether ``points`` have (almost) collapsed onto one spot, next to the spread of
    ``reference`` (the input points).

    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(50, 2))
    >>> nearly_a_point(0.5 + 1e-5 * x, x), nearly_a_point(0.1 * x, x)
    (True, False)
    """
    if len(points) < 2:
        return False

    def widest(p: np.ndarray) -> float:
        finite = p[np.isfinite(p).all(axis=1)]
        if len(finite) < 2:
            return 0.0
        return float(np.linalg.svd(finite - finite.mean(axis=0), compute_uv=False)[0])

    ref = widest(np.asarray(reference, np.float64))
    return ref > 0 and widest(np.asarray(points, np.float64)) < SPOT * ref


def rewind_move(moves: int) -> float:
    """Seconds for each of a rewind's ``moves`` undone moves: :data:`REWIND_TIME` shared
    out, each between :data:`REWIND_MOVE` and :data:`REWIND_SLOW` (the rewind is the
    story's payoff: a shallow network's gets time to be followed, a deep one's stays short).

    >>> rewind_move(6), rewind_move(12), rewind_move(30)
    (1.0, 0.6, 0.6)
    """
    return round(min(max(REWIND_TIME / max(moves, 1), REWIND_MOVE), REWIND_SLOW), 3)


#: The plans made last in this process: (the trajectory, weakly; the other arguments;
#: the beats). A plan depends on nothing else, and its beats are frozen, so a render that
#: checks its plan, builds its scene and forks ``-j`` workers (which inherit this) makes
#: it once; so does a ``--watch`` while the trajectory stays the same object.
_MADE: list[tuple[weakref.ref[Trajectory], tuple[object, ...], list[Beat]]] = []
#: How many plans are kept (a story's scenes and the fps they are checked and drawn at).
_KEEP = 4


def warp_plan(
    traj: Trajectory,
    snapshot: int = -1,
    *,
    fps: float = 60.0,
    merge_bias: bool = False,
    with_title: bool = False,
    color_by: str = "class",
) -> list[Beat]:
    """The beats of the warp scene (and of the explainer, ``with_title``), in order.

    Durations are counted in whole frames at ``fps``, as the video will have them. Every
    beat's ``data["camera"]`` is the :class:`~scenes.warp.steps.Camera` at its start,
    computed here by the same framing the scene uses (no drawing needed to know it).
    ``color_by`` is how the points are coloured (``"class"`` or ``"position"``), for the
    words. The same arguments give the same beats (kept: made once per process).
    """
    args = (snapshot, float(fps), merge_bias, with_title, color_by)
    for ref, made_args, beats in _MADE:
        if ref() is traj and made_args == args:
            return list(beats)
    beats = _plan(traj, snapshot, fps, merge_bias, with_title, color_by)
    _MADE.insert(0, (weakref.ref(traj), args, beats))
    del _MADE[_KEEP:]
    return list(beats)


def _plan(
    traj: Trajectory,
    snapshot: int,
    fps: float,
    merge_bias: bool,
    with_title: bool,
    color_by: str,
) -> list[Beat]:
    """:func:`warp_plan`, made."""

    def took(kind: str, *extra: tuple[str, float]) -> float:
        return seconds((*PIECES[kind], *extra), fps)

    stages = traj.stages(snapshot)
    epoch = int(traj.epochs[snapshot])
    counts = [int(c) for c in np.bincount(traj.labels, minlength=traj.n_classes)]
    intro = "Introduction"
    beats: list[Beat] = []
    weights = traj.weights(snapshot)
    start = motion.input_view(stages[0], motion.shows_units(traj))
    cam = [Camera(start, motion.THETA0, 2)]  # the camera now
    history: list[tuple[Step, int]] = []  # each move (its start view set) and the space it ends in

    def add(id_: str, section: str, line: Line, kind: str, length: float, **data: object) -> None:
        data["camera"] = cam[0]
        beats.append(Beat(id_, section, line, length, kind=kind, data=data))

    def move(step: Step, dims: int, duration: float, hold: bool = True) -> None:
        """The camera after ``step``, planned as the scene plays it (:meth:`Warp.move`)."""
        now = cam[0]
        played = motion.held(now.view, step, dims, now.dims) if hold else step
        planned = motion.camera_end(now.view, played, dims, now.dims, now.theta, duration)
        step.start_view = now.view
        cam[0] = Camera(planned.end, planned.theta, max(dims, 2))

    widths = [2, *[L.d_out for L in traj.layers]]
    trained = traj.info.final.epochs_trained
    if with_title:
        acts = [L.activation for L in traj.hidden_layers]
        line = words.title_card(traj.info.dataset.name, widths, acts, epoch, trained)
        add("title", intro, line, "title", took("title"))
    ds = traj.info.dataset
    units = motion.shows_units(traj)
    report = check_trajectory(traj)
    add(
        "data",
        intro,
        words.data(
            ds.name,
            len(traj.inputs),
            counts,
            ds.columns if units else None,
            ds.label_column if units and ds.label_column != "label" else None,
            by_position=color_by == "position",
            names=traj.class_names,
        ),
        "data",
        took("data"),
        notes=words.data_notes(report),
        units=units,
    )
    base = traj.info.baseline
    line_all = baseline_accuracy(traj)  # the line drawn, on every point as the score counts
    if base is not None and traj.hidden_layers:
        add(
            "line-question",
            intro,
            words.line_question(traj.n_classes),
            "line-question",
            took("line-question"),
        )
        verdict = words.line_verdict(line_all or 0.0, traj.n_classes)
        add("line-verdict", intro, verdict, "line-verdict", took("line-verdict"))

    moves = 0
    dims = 2
    # Full-width values of every layer (the stages of wide layers are projections) and the
    # layers shown with two units swapped (their W flips the plane), for the words.
    full = forward(weights, [*[L.activation for L in traj.hidden_layers], "linear"], traj.inputs)
    shown = snapshot % len(traj.epochs)
    swapped = {(s.snapshot, s.layer) for s in traj.info.unit_swaps}
    # How well a flat boundary separates the classes in the input and after each layer.
    spaces = [traj.inputs, *[full[L.index][1] for L in traj.hidden_layers]]
    line_acc = [line_accuracy(x, traj.labels) for x in spaces]
    # The network's health at the snapshot shown: where it says a layer collapses, that
    # layer's words say so too (and the separator and the end card name it as the cause).
    findings = diagnose(traj, snapshot)
    fell = {f.layer for f in findings if f.kind == COLLAPSED}
    # Each layer's activation left the points nearly on one line
    collapsed = [
        nearly_a_line(stages[2 * L.index + 2].points) or L.index in fell for L in traj.hidden_layers
    ]
    # ... or in nearly one place (a dead network: weights shrunk to about 0): beside the
    # input, as the picture shows it, or beside the layer's own input, as health judges it
    spot = [
        nearly_a_point(stages[2 * L.index + 2].points, traj.inputs)
        or (L.index in fell and nearly_a_point(spaces[L.index + 1], spaces[L.index]))
        for L in traj.hidden_layers
    ]
    if line_all is not None:  # the input plane's is the line the video drew
        line_acc[0] = line_all
    for layer in traj.hidden_layers:
        i, n = layer.index, layer.index + 1
        section = f"Layer {n}"
        if layer.d_out == 1:
            line = words.one_unit(n, on_a_line=layer.d_in == 1)
            add(f"layer-{n}.one-unit", section, line, "one-unit", took("one-unit"))
        kinds = layer_kinds(traj, i, merge_bias)
        layer_moves = motion.layer_steps(traj, stages, weights, i, merge_bias)
        w, b = weights[i]
        numbers: dict[str, LinearFacts | ShiftFacts | ActivationFacts] = {
            "linear": linear_facts(w, flipped=(shown, i) in swapped),
            "bias": shift_facts(b),
            "activation": replace(
                activation_facts(layer.activation, full[i][0]),
                line_before=line_acc[i],
                line_after=line_acc[i + 1],
            ),
        }
        for j, (kind, _) in enumerate(kinds):
            affine = stages[2 * i + 1]
            line = words.layer_step(
                kind,
                n,
                d_in=layer.d_in,
                d_out=layer.d_out,
                activation=layer.activation,
                projected=layer.projected,
                explained=affine.explained,
                collapsed=kind == "activation" and (collapsed[i] or spot[i]),
                to_a_point=spot[i],
                facts=numbers.get(kind),
                n_classes=traj.n_classes,
                # told once, where it happens: after it, the points "stay" or are "still"
                still=i > 0 and (spot[i - 1] if spot[i] else collapsed[i - 1] and not spot[i - 1]),
            )
            last = j == len(kinds) - 1
            length = took("step", *([("wait", LAYER_END)] if last else []))
            add(f"layer-{n}.{kind}", section, line, "step", length, layer=i, step=j, move=kind)
            moves += 1
            _, step, step_dims = layer_moves[j]
            history.append((step, max(step_dims, 2)))
            move(step, step_dims, MOVE)
        dims = kinds[-1][1]

    sep_acc = float(np.mean(traj.predictions(snapshot) == traj.labels))
    three_d = dims == 3
    still = f"at epoch {epoch:,} of {trained:,}, the network is still learning"
    bends = any(L.activation != "linear" for L in traj.hidden_layers)
    # Why the classes stay tangled: a fault in the data, else in the network (its health
    # findings), else only how it scores against chance, else (real data) overlap
    cause = (
        words.data_cause(report)
        or words.network_why(findings, [L.activation for L in traj.hidden_layers])
        or words.chance(report, sep_acc, traj.n_classes)
        or (words.MAY_OVERLAP if units else None)
    )
    why = (still if epoch < trained else None) or cause
    last_dims = min(max(dims, 1), 3)  # the last space's dimensions, as drawn
    head = words.separator_head(
        traj.n_classes, last_dims, sep_acc, bool(traj.hidden_layers), why, bends
    )
    key = "separator-head-3d" if three_d else "separator-head-2d"
    add("separator", "Separator", head, "separator", took(key), three_d=three_d)
    if three_d:  # the turntable turns on while the separating plane is shown
        now = cam[0]
        space = stages[-3]  # the last hidden space, where the separator is drawn
        turned = motion.turn_end(now.view, space.points, space.grid, TURN)
        cam[0] = Camera(turned, turned.theta, now.dims)
    score = words.separator_score(sep_acc, len(traj.labels), epoch, report, traj.n_classes)
    add("separator-score", "Separator", score, "separator-score", took("separator-score"))
    # A network without hidden layers drew its line in the input plane: nothing to rewind.
    back = "Back to the input" if history else "Decision regions"
    if history:
        # the boundary in the input plane, carried to the last hidden space: the rewind
        # carries it back (none when one class is predicted everywhere)
        carried = len(boundary_curves(traj, snapshot)) > 0
        hand_over = (
            [("play", BOUNDARY), ("wait", HAND_OVER), ("play", SEPARATOR_OUT)] if carried else []
        )
        each = rewind_move(moves)
        add(
            "rewind",
            back,
            words.rewind(traj.n_classes, last_dims, boundary_shape(traj, snapshot)),
            "rewind",
            seconds((("play", CAPTION), *hand_over, *[("play", each)] * moves), fps),
            moves=moves,
            each=each,
            boundary=carried,
        )
    # Undoing a move lands in the space before it: 2-D for the first, else the previous one's.
    dims_before = [2, *[d for _, d in history]][: len(history)]
    for (step, _), d in zip(reversed(history), reversed(dims_before), strict=True):
        move(step.reversed(), d, rewind_move(len(history)), hold=False)
    tail = () if with_title else (("wait", END),)
    unsure = unsure_everywhere(traj, snapshot)
    line = words.regions(unsure)
    add("regions", back, line, "regions", took("regions", *tail), units=units)
    if with_title:
        moral, facts = words.end_card(
            len(traj.hidden_layers),
            epoch,
            trained,
            sep_acc,
            line_all,
            cause,
            n_classes=traj.n_classes,
            dims=traj.hidden_layers[-1].d_out if traj.hidden_layers else 2,
            bends=bends,
        )
        add("end", back, moral, "end", took("end", ("wait", END)), facts=facts)
    return beats
