"""The anatomy story as a plan of beats, computed from the stored weights before drawing.

:func:`gather` computes every number once (:class:`Facts`); :func:`anatomy_plan` turns them
into beats, each with its section, its words (:mod:`scenes.narration.anatomy`), its numbers
and its duration in whole frames; :class:`scenes.anatomy.scene.Anatomy` plays them and
checks each took what the plan says. Nothing here imports Manim.

>>> from nnmodel.trajectory import load
>>> traj = load("tests/data/golden.npz")
>>> beats = anatomy_plan(traj, gather(traj))
>>> [b.id for b in beats][:5]
['diagram', 'weights', 'sample', 'layer-1.forward', 'layer-1.activation']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnmodel import activations
from nnmodel.trajectory import Trajectory, decide
from scenes.anatomy import numbers
from scenes.anatomy.layout import (
    MAX_UNITS,
    Diagram,
    diagram_box,
    diagram_layout,
    output_units,
    sign_names,
)
from scenes.anatomy.names import (
    IN_LINES,
    MARK_ROOM,
    MATH_ROOM,
    MAX_IN_ROOM,
    MAX_OUT_ROOM,
    OUT_LINES,
    input_names,
    name_room,
    name_size,
    true_unit,
    unit_names,
)
from scenes.anatomy.numbers import Array, Descent, Pass, Step, Weights
from scenes.core.timeline import Beat, seconds
from scenes.errors import RenderError
from scenes.narration import anatomy as words
from scenes.narration.text import Line

__all__ = [
    "CAPTION",
    "END",
    "PIECES",
    "SECTIONS",
    "Facts",
    "anatomy_plan",
    "check_sample",
    "gather",
]

#: Seconds of a caption cross-fade, and of the last frame held at the very end.
CAPTION = 0.5
END = 0.5
#: The pieces of each kind of beat: ``("play", seconds)`` animations and ``("wait", seconds)``
#: still frames, in the order the scene plays them.
PIECES: dict[str, tuple[tuple[str, float], ...]] = {
    "diagram": (("play", CAPTION), ("play", 1.5), ("wait", 1.0)),
    "weights": (("play", CAPTION), ("play", 0.8), ("wait", 2.0)),
    "sample": (("play", CAPTION), ("play", 1.0), ("play", 0.6), ("wait", 1.2)),
    "forward": (("play", CAPTION), ("play", 0.8), ("play", 0.7), ("wait", 1.6)),
    "activation": (("play", CAPTION), ("play", 0.6), ("play", 1.5), ("wait", 1.4)),
    "output": (("play", CAPTION), ("play", 0.8), ("play", 1.0), ("wait", 1.6)),
    "error": (("play", CAPTION), ("play", 0.7), ("wait", 1.4)),
    "backward": (("play", CAPTION), ("play", 1.0), ("play", 0.6), ("wait", 1.4)),
    "backward-input": (("play", CAPTION), ("play", 1.0), ("wait", 1.6)),
    # one step at the snapshot shown, then many from where the gradient is not nearly 0
    "update": (
        ("play", CAPTION),
        ("play", 0.6),
        ("play", 1.5),
        ("wait", 1.6),
        ("play", 1.0),
        ("play", 1.5),
        ("wait", 1.6),
    ),
    "real-step": (("play", CAPTION), ("play", 1.5), ("wait", 1.8)),
    "responses": (("play", CAPTION), ("play", 1.0), ("wait", 1.0)),
    "responses-layer": (("play", CAPTION), ("play", 1.0), ("wait", 1.2)),
    "responses-output": (("play", CAPTION), ("play", 1.0), ("wait", 1.8), ("wait", END)),
}
SECTIONS = ("The network", "Forward pass", "Backpropagation", "Neuron responses")


def check_sample(traj: Trajectory, sample: object) -> int | None:
    """The ``sample`` parameter, checked: None (the default rule) or a point's index.

    Raises
    ------
    RenderError
        One line, before anything is drawn, when it is not an index of this file's points.
    """
    if sample is None:
        return None
    n = len(traj.inputs)
    if isinstance(sample, bool) or not isinstance(sample, int | np.integer):
        raise RenderError(f"--sample must be a point's index (a whole number), not {sample!r}")
    if not 0 <= int(sample) < n:
        raise RenderError(
            f"--sample {sample} is out of range: this trajectory has {n} points, "
            f"numbered 0 to {n - 1}"
        )
    return int(sample)


@dataclass(frozen=True)
class Facts:
    """Every number the anatomy shows, computed once from one snapshot's weights.

    Attributes
    ----------
    snapshot, epoch
        The snapshot shown and its epoch.
    weights, acts
        Its weights (float64, ``(W, b)`` per layer) and the hidden activations' names.
    widths
        Units per diagram column: 2 inputs, each layer's outputs.
    layout
        The diagram's geometry.
    index, chosen, reason
        The followed point's index, whether it was asked for, and why the default rule
        chose it (:data:`scenes.anatomy.numbers.REASONS`; ``asked`` when it was asked for).
    point
        Its forward and backward pass.
    margin, right
        How far its class leads in logits, and whether the network gets it right.
    pre
        Each hidden layer's pre-activations ``z`` of every point, ``(N, d)``.
    step, batch_dW, computed
        One plain gradient step, the mean training gradient it used, and whether that was
        computed from the weights (True) or stored in the file.
    g_max
        The largest ``|g|`` of any weight or bias in that step (times the learning rate:
        the most any of them moves).
    descent
        Plain steps repeated until the boundary visibly moves, from this snapshot or, if
        its gradient is nearly 0, from the one before it where the gradient was largest
        (:func:`scenes.anatomy.numbers.descent`).
    real
        ``(snapshot a, snapshot b, step)``: the optimiser's real steps around this snapshot.
    optimizer, lr
        The run's optimiser and learning rate.
    accuracy, baseline
        The share of training points the network gets right, and the share always
        answering their commonest class would get.
    names
        The inputs' names as drawn beside them: the data's column names, or None for x₁
        and x₂ (built-in data).
    units
        Each output unit's name as drawn beside it: its class's.
    original
        The followed point in the data's own units, when the network sees it standardised
        (else None).
    flat
        How many of each hidden layer's drawn response pictures are nearly one colour
        (:func:`scenes.anatomy.numbers.flat_pictures`).
    """

    snapshot: int
    epoch: int
    weights: Weights
    acts: tuple[str, ...]
    widths: tuple[int, ...]
    layout: Diagram
    index: int
    chosen: bool
    reason: str
    point: Pass
    margin: float
    right: bool
    pre: tuple[Array, ...]
    step: Step
    batch_dW: tuple[Array, ...]
    computed: bool
    g_max: float
    descent: Descent
    real: tuple[int, int, Step]
    optimizer: str
    lr: float
    accuracy: float
    baseline: float
    names: tuple[str, ...] | None
    units: tuple[str, ...]
    original: tuple[float, ...] | None
    flat: tuple[int, ...]


def gather(traj: Trajectory, snapshot: int = -1, sample: int | None = None) -> Facts:
    """Compute every number of the anatomy of ``snapshot`` (see :class:`Facts`)."""
    s = snapshot % traj.n_snapshots
    weights = numbers.as_float(traj.weights(s))
    acts = tuple(L.activation for L in traj.hidden_layers)
    chosen = sample is not None
    index, reason = numbers.choose_sample(traj, s) if sample is None else (sample, "asked")
    label = int(traj.labels[index])
    point = numbers.follow(weights, acts, traj.inputs[index], label)
    margin = float(numbers.margins(point.a[-1][None, :], [label])[0])
    right = bool(decide(point.a[-1][None, :])[0] == label)
    zs, hs = numbers.forward(weights, acts, traj.inputs)
    train = numbers.training_mask(traj)
    accuracy = float(np.mean(decide(hs[-1])[train] == traj.labels[train]))
    baseline = float(np.bincount(traj.labels[train]).max() / train.sum())
    train_cfg: Mapping[str, Any] = traj.info.config.get("train", {})
    lr = float(train_cfg.get("lr", 0.03))
    step, dws, computed = numbers.plain_step(traj, s, lr)
    widths = (2, *[L.d_out for L in traj.layers])
    names, units = input_names(traj), unit_names(traj)
    picked = {
        c: numbers.busiest_units(point, c, MAX_UNITS - 1)
        for c in range(1, len(widths) - 1)
        if widths[c] > MAX_UNITS
    }
    layout = _diagram(widths, point.probs, label, names, units, picked)
    scaling = traj.info.dataset.standardization
    original = None
    if scaling is not None:
        original = tuple(scaling.invert(point.x[None, :])[0].tolist())
    grids = numbers.responses(weights, acts, traj.info.mesh.extent, numbers.RESPONSE_RES)
    flat = []
    for i, name in enumerate(acts):
        vmax = numbers.response_scale(activations.get(name)(zs[i]))
        drawn = list(layout.columns[i + 1].units)
        flat.append(int(numbers.flat_pictures(grids[i + 1][..., drawn], vmax).sum()))
    return Facts(
        snapshot=s,
        epoch=int(traj.epochs[s]),
        weights=weights,
        acts=acts,
        widths=widths,
        layout=layout,
        index=index,
        chosen=chosen,
        reason=reason,
        point=point,
        margin=margin,
        right=right,
        pre=tuple(zs[:-1]),
        step=step,
        batch_dW=tuple(dws),
        computed=computed,
        g_max=numbers.largest_gradient(traj, s),
        descent=numbers.descent(traj, s, lr),
        real=numbers.real_step(traj, s),
        optimizer=str(train_cfg.get("optimizer", "adam")),
        lr=lr,
        accuracy=accuracy,
        baseline=baseline,
        names=names,
        units=units,
        original=original,
        flat=tuple(flat),
    )


def _diagram(
    widths: tuple[int, ...],
    probs: Array,
    label: int,
    names: tuple[str, ...] | None,
    units: tuple[str, ...],
    picked: Mapping[int, Sequence[int]] | None = None,
) -> Diagram:
    """The diagram's geometry for a point of class ``label`` with class ``probs``: the
    output units it draws (:func:`~scenes.anatomy.layout.output_units` when they are too
    many), the units ``picked`` for wide hidden columns, and rooms for the inputs' ``names``
    and the drawn units' names (the true class's with its ✓)."""
    drawn: Sequence[int] = range(widths[-1])
    if widths[-1] > MAX_UNITS:  # the true class, the predicted one, the likeliest others
        drawn = output_units(probs, label, MAX_UNITS - 1)
    in_room = MATH_ROOM if names is None else name_room(names, IN_LINES, MAX_IN_ROOM)
    out_names = [units[u] for u in drawn]
    size = name_size(out_names)
    out_room = name_room(out_names, OUT_LINES, MAX_OUT_ROOM)
    true = true_unit(widths[-1], label)
    if true is not None:
        marked = name_room([units[true]], OUT_LINES, MAX_OUT_ROOM, MARK_ROOM, size)
        out_room = max(out_room, marked)
    return diagram_layout(
        widths,
        diagram_box(in_room, out_room),
        output=drawn if widths[-1] > MAX_UNITS else None,
        picked=picked,
        in_room=in_room,
        out_room=out_room,
        sizes=(name_size(names or ()), size),
    )


def _largest_weight(weights: Weights) -> tuple[float, int]:
    """The weight of largest magnitude and its layer."""
    best, where = 0.0, 0
    for i, (w, _) in enumerate(weights):
        k = int(np.argmax(np.abs(w)))
        if abs(w.flat[k]) > abs(best):
            best, where = float(w.flat[k]), i
    return best, where


def anatomy_plan(traj: Trajectory, facts: Facts, *, fps: float = 60.0) -> list[Beat]:
    """The beats of the anatomy scene, in order, durations in whole frames at ``fps``.

    ``facts`` are :func:`gather`'s for ``traj`` (which adds class names, epochs and units).
    """
    f = facts
    p = f.point
    n_layers = len(f.weights)
    names = traj.class_names
    beats: list[Beat] = []

    def add(id_: str, section: str, line: Line, kind: str, **data: object) -> None:
        beats.append(Beat(id_, section, line, seconds(PIECES[kind], fps), kind=kind, data=data))

    net, fwd, bwd, resp = SECTIONS
    shown = MAX_UNITS - 1 if f.layout.too_wide else None
    line = words.diagram(
        f.widths,
        f.acts,
        f.epoch,
        shown,
        bool(f.layout.columns[-1].more),
        f.accuracy,
        f.baseline,
    )
    add("diagram", net, line, "diagram")
    big, big_layer = _largest_weight(f.weights)
    where = "the output" if big_layer == n_layers - 1 else f"layer {big_layer + 1}"
    line = words.weights(big, where, sign_names())
    add("weights", net, line, "weights", largest=(big, big_layer))

    original: list[tuple[str, float]] = []
    if f.original is not None:
        original = list(zip(traj.info.dataset.columns, f.original, strict=True))
    line = words.sample(
        f.index,
        p.x.tolist(),
        names[p.label],
        f.chosen,
        f.margin,
        f.right,
        bool(original),
        f.reason,
    )
    add("sample", fwd, line, "sample", index=f.index, original=original)

    inputs = p.x
    for i, name in enumerate(f.acts):
        w, b = f.weights[i]
        u = f.layout.columns[i + 1].units[0]  # the first unit drawn, at the table's top
        line = words.forward(
            i + 1, name, w[u].tolist(), inputs.tolist(), b[u], p.z[i][u], p.a[i][u], u + 1
        )
        add(f"layer-{i + 1}.forward", fwd, line, "forward", layer=i, z=p.z[i], a=p.a[i])
        share = numbers.flat_share(name, f.pre[i])
        line = words.activation(i + 1, name, share, numbers.FLAT_WORDS[name], f.pre[i].size)
        add(f"layer-{i + 1}.activation", fwd, line, "activation", layer=i, share=share)
        inputs = p.a[i]
    out = p.a[-1]
    line = words.output(names, out.tolist(), p.probs.tolist(), p.label, p.loss)
    add("output", fwd, line, "output")

    line = words.error(p.probs.tolist(), p.label, p.dz[-1].tolist())
    add("error", bwd, line, "error")
    for layer in range(n_layers - 1, -1, -1):
        below = f.acts[layer - 1] if layer else None
        top_dz = float(np.max(np.abs(p.dz[layer - 1]))) if layer else 0.0
        top_dw = float(np.max(np.abs(p.dW[layer])))
        carried = p.a[layer - 1] if layer else p.x  # what this layer's weights carry
        line = words.backward(
            layer,
            n_layers,
            below,
            top_dw,
            top_dz,
            arriving=float(np.max(np.abs(p.dz[layer]))),
            carried=float(np.max(np.abs(carried))),
            flat_below=bool(layer) and not numbers.flowing([f.acts[layer - 1]], [p.z[layer - 1]]),
        )
        id_ = "backward.output" if layer == n_layers - 1 else f"backward.layer-{layer + 1}"
        kind = "backward" if layer else "backward-input"
        add(id_, bwd, line, kind, layer=layer)
    st, dsc = f.step, f.descent
    n_train = int(numbers.training_mask(traj).sum())
    line = words.update(
        f.lr,
        n_train,
        st.loss_before,
        st.loss_after,
        epoch=f.epoch,
        changed=st.changed,
        g_max=f.g_max,
        settled=dsc.settled,
        start=int(traj.epochs[dsc.snapshot]),
        steps=dsc.steps,
        steps_losses=(dsc.step.loss_before, dsc.step.loss_after),
        steps_changed=dsc.step.changed,
    )
    add("update", bwd, line, "update", start=int(traj.epochs[dsc.snapshot]))
    a, b_, real = f.real
    ea, eb = int(traj.epochs[a]), int(traj.epochs[b_])
    line = words.real_step(f.optimizer, ea, eb, real.loss_before, real.loss_after)
    add("real-step", bwd, line, "real-step", snapshots=(a, b_))

    add("responses", resp, words.responses(sign_names()), "responses")
    for i, name in enumerate(f.acts):
        drawn = f.layout.columns[i + 1].shown
        line = words.responses_layer(i + 1, name, f.widths[i], f.flat[i], drawn)
        add(f"responses.layer-{i + 1}", resp, line, "responses-layer", layer=i)
    line = words.responses_output(names, f.accuracy, f.widths[-1] == 1)
    add("responses.output", resp, line, "responses-output")
    return beats
