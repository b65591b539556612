"""The anatomy's words: pure functions of the network's real numbers (no Manim).

Each beat's words are a :class:`~scenes.narration.text.Line` (the ``*_note`` functions give
the short notes beside the pictures, as strings). A line's caption and subcaption write the
arithmetic out for the eye; its narration says the same in sentences a voice can read and a
listener can follow, with the one or two numbers that matter. :mod:`scenes.anatomy.plan`
calls them with numbers from :mod:`scenes.anatomy.numbers`, and every number on screen is written by
:func:`num`, so what a test computes and what a viewer reads are the same string.

>>> num(-0.4567), num(0.00031), num(2.5e-7), num(0.0)
('−0.46', '0.00031', '2.5e−7', '0.00')
>>> forward(1, "tanh", [0.5, -1.0], [0.25, 0.75], 0.1, -0.525, -0.48).sub
'unit 1: z = 0.50·0.25 − 1.00·0.75 + 0.10 = −0.53, then tanh(−0.53) = −0.48'
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scenes.narration.text import Line

__all__ = [
    "activation",
    "backward",
    "class_name",
    "diagram",
    "error",
    "forward",
    "gradient_note",
    "num",
    "output",
    "output_key",
    "pct",
    "plane_note",
    "point_gradient_note",
    "real_step",
    "regions_note",
    "responses",
    "responses_layer",
    "responses_note",
    "responses_output",
    "sample",
    "standardised_head",
    "standardised_note",
    "step_note",
    "units_line",
    "update",
    "weights",
]

MINUS = "−"


def num(v: float) -> str:
    """A number as the screen shows it: 2 decimals, 2 significant digits below 0.005,
    ``a.be−k`` below 0.0001, and a real minus sign."""
    x = float(v)
    if not math.isfinite(x):
        return str(x)
    a = abs(x)
    if a >= 100:
        s = f"{x:.0f}"
    elif a >= 0.005 or a == 0:
        s = f"{x:.2f}"
    elif a >= 1e-4:
        s = f"{x:.{1 - math.floor(math.log10(a))}f}"
    else:
        mant, exp = f"{x:.1e}".split("e")
        s = f"{mant}e{int(exp)}"
    if s.lstrip("-") == "0.00":
        s = "0.00"
    return s.replace("-", MINUS)


def pct(share: float) -> str:
    """A share as a percentage: whole above 1 %, one decimal below, never "0 %" for a
    share that is not 0.

    >>> pct(0.234), pct(0.004), pct(0.0002), pct(0.0), pct(1.0)
    ('23 %', '0.4 %', '< 0.1 %', '0 %', '100 %')
    """
    if share == 0:
        return "0 %"
    if share >= 0.01:
        return f"{share * 100:.0f} %"
    if share >= 0.001:
        return f"{share * 100:.1f} %"
    return "< 0.1 %"


def class_name(name: str) -> str:
    """``class 1`` for numbered classes, ``class 'setosa'`` for named ones."""
    return f"class {name}" if name.lstrip("-").isdigit() else f"class '{name}'"


def _act_said(act: str) -> str:
    """An activation's name as a narrator says it.

    >>> _act_said("leaky_relu"), _act_said("tanh")
    ('leaky ReLU', 'tanh')
    """
    return {"relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU"}.get(act, act)


def _count(n: int, word: str) -> str:
    """``1 output``, ``3 outputs``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def _layers_said(widths: Sequence[int], acts: Sequence[str]) -> str:
    """The hidden layers in words.

    >>> _layers_said([2, 8, 8, 1], ["relu", "relu"])
    'two hidden layers of 8 ReLU units'
    >>> _layers_said([2, 3, 2, 1], ["tanh", "relu"])
    'a hidden layer of 3 tanh units, then one of 2 ReLU units'
    >>> _layers_said([2, 3, 2, 1], ["tanh", "tanh"])
    'a hidden layer of 3 tanh units, then one of 2'
    """
    hidden = list(zip(widths[1:-1], acts, strict=True))
    if not hidden:
        return "no hidden layer"
    if len(set(hidden)) == 1 and len(hidden) > 1:
        w, a = hidden[0]
        n = {2: "two", 3: "three", 4: "four"}.get(len(hidden), str(len(hidden)))
        return f"{n} hidden layers of {w} {_act_said(a)} units"
    parts = []
    for k, (w, a) in enumerate(hidden):
        same = k > 0 and a == hidden[k - 1][1]
        parts.append(f"one of {w}" if same else f"one of {w} {_act_said(a)} units")
    parts[0] = parts[0].replace("one of", "a hidden layer of", 1)
    return ", then ".join(parts)


def _arch(widths: Sequence[int]) -> str:
    """The layer widths, three or more equal ones in a row written once with a count.

    >>> _arch([2, 64, 64, 64, 8]), _arch([2, 8, 8, 1])
    ('2 inputs → 64 (×3) → 8 outputs', '2 inputs → 8 → 8 → 1 output')
    """
    runs: list[list[int]] = []
    for w in widths[1:-1]:
        if runs and runs[-1][0] == w:
            runs[-1][1] += 1
        else:
            runs.append([w, 1])
    parts = [f"{w} (×{n})" if n >= 3 else " → ".join([str(w)] * n) for w, n in runs]
    out = f"{widths[-1]} output{'s' if widths[-1] > 1 else ''}"
    return " → ".join([f"{widths[0]} inputs", *parts, out])


def diagram(
    widths: Sequence[int],
    acts: Sequence[str],
    epoch: int,
    shown: int | None = None,
    outputs_picked: bool = False,
) -> Line:
    """The network as a whole: its layers and how many numbers it learned.

    ``shown``: how many units a layer too wide to draw shows (None: every layer fits);
    ``outputs_picked``: the output layer is too wide too, and shows the followed point's
    likeliest classes (not its first units).

    >>> diagram([2, 2, 1], ["tanh"], 1000).sub
    '2 inputs → 2 → 1 output: 1 tanh layer, 9 weights and biases'
    >>> diagram([2, 16, 8], ["tanh"], 10, 5, True).sub.split("; ")[1]
    'wide layers: 5 units drawn'
    """
    n_params = sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))
    kinds = sorted(set(acts), key=list(acts).index)
    layers = f"{len(acts)} {'/'.join(k.replace('_', ' ') for k in kinds)} layer"
    layers += "s" if len(acts) != 1 else ""
    if not acts:
        layers = "no hidden layer"
    sub = f"{_arch(widths)}: {layers}, {n_params:,} weights and biases"
    if shown is not None:
        sub += f"; wide layers: {'' if outputs_picked else 'first '}{shown} units drawn"
    said = (
        f"Here is the network after {epoch} epochs, neuron by neuron: "
        f"{_count(widths[0], 'input')}, {_layers_said(widths, acts)}, and "
        f"{_count(widths[-1], 'output')}. Training learned {n_params:,} numbers: its "
        "weights and biases."
    )
    return Line(f"The network after {epoch} epochs, neuron by neuron", sub, narration=said)


def weights(largest: float, where: str) -> Line:
    """What the lines and the numbers under the neurons are.

    >>> weights(-3.36, "the output").sub.split(";")[0]
    'blue adds, orange subtracts, thicker is larger (up to −3.36, into the output)'
    """
    return Line(
        "Every line is a weight",
        f"blue adds, orange subtracts, thicker is larger (up to {num(largest)}, into "
        f"{where}); b: each neuron's bias",
        narration=f"Every line is a weight. Blue lines add, orange ones subtract, and the "
        f"thicker the line, the larger the weight: the largest, {num(largest)}, feeds "
        f"{where}. The b under each neuron is its bias.",
    )


def sample(
    index: int,
    x: Sequence[float],
    label: str,
    chosen: bool,
    margin: float,
    right: bool,
    standardised: bool = False,
) -> Line:
    """The point we follow, and why this one; ``standardised``: ``x`` are its values as the
    network sees them, standardised (not the data's own).

    >>> sample(7, [0.4, -0.13], "1", False, 0.08, True).caption
    'Follow one point: (0.40, −0.13), class 1'
    >>> sample(7, [0.98, 0.94], "bird", False, 0.08, True, True).caption
    "Follow one point, standardised: (0.98, 0.94), class 'bird'"
    """
    how = ", standardised" if standardised else ""
    head = f"Follow one point{how}: ({num(x[0])}, {num(x[1])}), {class_name(label)}"
    if chosen:
        verdict = "the network gets it right" if right else "the network gets it wrong"
        sub = f"point #{index}, as asked: {verdict} (margin {num(margin)})"
        said = f"Let's follow point number {index}, of {class_name(label)}; {verdict}."
    else:
        sub = (
            "the training point nearest the boundary that is still right: its class leads "
            f"by {num(margin)} in logits"
        )
        said = (
            f"Let's follow one point through the network, of {class_name(label)}: the "
            "training point closest to the boundary that the network still gets right."
        )
    if standardised:
        said += (
            " The network sees its two values standardised: each column shifted to a mean "
            "of zero and scaled to a spread of one."
        )
    return Line(head, sub, narration=said)


def forward(
    n: int,
    act: str,
    w_row: Sequence[float],
    inputs: Sequence[float],
    b: float,
    z: float,
    a: float,
) -> Line:
    """Hidden layer ``n`` computing, with unit 1's arithmetic written out (up to 3 inputs;
    wider inputs are summed in words).

    >>> forward(2, "relu", [0.1] * 8, [1.0] * 8, 0.5, 1.3, 1.3).caption
    'Layer 2: z = W·h + b, then h = relu(z)'
    """
    name = act.replace("_", " ")
    head = f"Layer {n}: z = W·{'x' if n == 1 else 'h'} + b, then h = {name}(z)"
    if len(w_row) <= 3:
        terms = ""
        for k, (w, v) in enumerate(zip(w_row, inputs, strict=True)):
            factor = f"{num(abs(w))}·{_paren(v)}"
            if k == 0:
                terms = f"{MINUS if w < 0 else ''}{factor}"
            else:
                terms += f" {MINUS if w < 0 else '+'} {factor}"
        terms += f" {MINUS if b < 0 else '+'} {num(abs(b))}"
    else:
        terms = f"{len(w_row)} weights × inputs, summed, + {_paren(b)}"
    said = (
        f"Layer {n} weighs {'the point' if n == 1 else 'the layer before'} with its weights, "
        f"adds its bias, then applies {_act_said(act)}. In the first unit that sum is "
        f"{num(z)}, and {_act_said(act)} makes it {num(a)}."
    )
    return Line(
        head, f"unit 1: z = {terms} = {num(z)}, then {name}({num(z)}) = {num(a)}", narration=said
    )


def _paren(v: float) -> str:
    return f"({num(v)})" if v < 0 and num(v) != "0.00" else num(v)


def activation(n: int, act: str, share: float, words: str, values: int) -> Line:
    """Hidden layer ``n``'s activation over every point, and how much of it is flat:
    ``share`` of its ``values`` pre-activations (so the count is ``share × values``).

    >>> activation(2, "relu", 0.41, "are zeroed", 3200).caption
    'Layer 2 · relu: 41 % of the values are zeroed'
    >>> activation(1, "tanh", 0.38, "saturate", 1200).sub
    'where its slope is below 5 % of the steepest, the gradient nearly stops: 456 of 1,200 values'
    """
    name = act.replace("_", " ")
    said_name = _act_said(act)
    if not words:
        return Line(
            f"Layer {n} · {name}: nothing is squashed",
            f"all {values:,} pre-activations pass unchanged: this layer is purely linear",
            narration=f"Layer {n} squashes nothing: every value passes unchanged, so this "
            "layer is a plain linear map.",
        )
    over = f"Over all the points, {pct(share)} of layer {n}'s values"
    flat = f"{round(share * values):,} of {values:,} values"
    if act == "relu":
        sub = f"every z ≤ 0 becomes 0 and passes no gradient back: {flat}"
        said = f"{over} are negative, and ReLU sets them to zero: no gradient flows back there."
    elif act == "leaky_relu":
        sub = f"every z < 0 is multiplied by 0.01: {flat}"
        said = f"{over} are negative, and leaky ReLU shrinks them a hundredfold."
    else:
        sub = f"where its slope is below 5 % of the steepest, the gradient nearly stops: {flat}"
        said = f"{over} saturate: {said_name} is almost flat there, so the gradient nearly stops."
    return Line(f"Layer {n} · {name}: {pct(share)} of the values {words}", sub, narration=said)


def output(
    class_names: Sequence[str],
    logits: Sequence[float],
    probs: Sequence[float],
    label: int,
    loss: float,
) -> Line:
    """The output layer: logits, probabilities, and this point's loss.

    >>> output(["0", "1"], [0.08], [0.48, 0.52], 1, 0.654).caption
    'Output: logit 0.08 → p(class 1) = σ(0.08) = 0.52'
    """
    p_true = probs[label]
    true = class_name(class_names[label])
    sub = f"true {true}: loss = −ln {num(p_true)} = {num(loss)}"
    if len(logits) == 1:
        head = (
            f"Output: logit {num(logits[0])} → p({class_name(class_names[1])}) = "
            f"σ({num(logits[0])}) = {num(probs[1])}"
        )
        said = (
            f"The output is one number, {num(logits[0])}, and the sigmoid turns it into the "
            f"probability of {class_name(class_names[1])}: {num(probs[1])}."
        )
    else:
        head = f"Output: {len(logits)} logits → softmax → probabilities that sum to 1"
        said = (
            f"The output is {len(logits)} numbers, and softmax turns them into probabilities "
            "that add up to one."
        )
    said += (
        f" The point is {true}, which gets {num(p_true)}, so its loss, minus the log of that,"
        f" is {num(loss)}."
    )
    return Line(head, sub, narration=said)


def error(probs: Sequence[float], label: int, delta: Sequence[float]) -> Line:
    """Where backpropagation starts: the output's δ = p − y.

    >>> error([0.48, 0.52], 1, [-0.48]).sub
    'at the output δ = dL/dz = p − y = 0.52 − 1 = −0.48: raise this logit'
    """
    said = "Backpropagation starts at the loss. "
    if len(delta) == 1:
        d = delta[0]
        way = "raise this logit" if d < 0 else "lower this logit"
        sub = f"at the output δ = dL/dz = p − y = {num(probs[1])} − {label} = {num(d)}: {way}"
        said += (
            f"At the output, the error is the probability minus the true label: "
            f"{num(probs[1])} minus {label}, or {num(d)}. The logit should go "
            f"{'up' if d < 0 else 'down'}."
        )
    else:
        sub = (
            f"at the output δ = p − y: {num(delta[label])} for the true class (raise it), "
            "p itself for the others (lower them)"
        )
        said += (
            "At the output, each logit's error is its probability minus the truth: negative "
            "for the true class, which should go up, positive for the others, which should "
            "go down."
        )
    return Line("Backpropagation: the error starts at the loss", sub, narration=said)


def backward(
    layer: int, n_layers: int, act_below: str | None, top_dw: float, top_dz: float
) -> Line:
    """One weight layer on the way back (``layer`` from 0; the last is the output layer).

    >>> backward(0, 3, None, 0.012, 0.0).sub
    'the input needs no δ: the gradient is done (largest |dL/dW| here 0.01)'
    """
    name = "the output layer" if layer == n_layers - 1 else f"layer {layer + 1}"
    head = f"Back through {name}: dL/dW = δ × input"
    if layer == n_layers - 1:
        said = (
            f"Back through {name}: each weight's gradient is the error of the neuron it "
            "feeds, times the input it carries."
        )
    else:
        said = f"Back through {name}, the same way."
    if act_below is None:
        sub = f"the input needs no δ: the gradient is done (largest |dL/dW| here {num(top_dw)})"
        said += " Its inputs are the point itself, so the gradient is complete."
    else:
        sub = (
            f"largest |dL/dW| {num(top_dw)}; then δ = (Wᵀδ) × {act_below.replace('_', ' ')}′(z) "
            f"for layer {layer}: largest |δ| {num(top_dz)}"
        )
        said += (
            f" Then the error flows back through its weights, scaled by the slope of "
            f"{_act_said(act_below)}, to layer {layer}."
        )
    return Line(head, sub, narration=said)


def update(lr: float, n_train: int, loss_before: float, loss_after: float) -> Line:
    """One step of plain gradient descent with the mean gradient over the training points.

    >>> line = update(0.03, 320, 0.2141, 0.2139)
    >>> line.caption
    'One step: W ← W − 0.03·g'
    >>> line.sub
    'g: mean gradient over the 320 training points; loss 0.2141 → 0.2139'
    """
    up = " (up: this plain step overshoots)" if loss_after > loss_before else ""
    change = (
        "The loss goes up: this plain step overshoots."
        if up
        else f"The loss {_change_said(loss_before, loss_after)}."
    )
    return Line(
        f"One step: W ← W − {lr:g}·g",
        f"g: mean gradient over the {n_train} training points; "
        f"loss {_loss(loss_before, loss_after)}{up}",
        narration=f"One step of gradient descent: every weight moves against its gradient, "
        f"averaged over all {n_train} training points, times the learning rate, {lr:g}. " + change,
    )


def _loss(a: float, b: float) -> str:
    """Two losses, with enough digits to show they differ (at most 6).

    >>> _loss(0.2141, 0.2139), _loss(0.5, 0.5)
    ('0.2141 → 0.2139', '0.500 → 0.500 (unchanged)')
    """
    for digits in (3, 4, 5, 6):
        if f"{a:.{digits}f}" != f"{b:.{digits}f}":
            return f"{a:.{digits}f} → {b:.{digits}f}"
    return f"{a:.3f} → {b:.3f} (unchanged)"


def _change_said(a: float, b: float, went: str = "goes", moves: str = "moves") -> str:
    """How a loss changed, for the ear: its two values to two significant digits, or, when
    they are the same to two, "barely" with as many digits as :func:`_loss` writes.

    >>> _change_said(0.2141, 0.1839), _change_said(0.006362, 0.006360)
    ('goes from 0.21 to 0.18', 'barely moves, from 0.006362 to 0.006360')
    >>> _change_said(0.5, 0.5, "went", "moved")
    'did not change: it stayed at 0.500'
    """

    def said(x: float) -> str:
        return "less than 0.001" if abs(x) < 0.001 else f"{x:.2g}"

    if said(a) != said(b):
        return f"{went} from {said(a)} to {said(b)}"
    both = _loss(a, b)
    if both.endswith("(unchanged)"):
        stays = "stayed" if went == "went" else "stays"
        does = "did" if went == "went" else "does"
        return f"{does} not change: it {stays} at {both.split(' → ')[0]}"
    first, second = both.split(" → ")
    return f"barely {moves}, from {first} to {second}"


def real_step(optimizer: str, epoch_a: int, epoch_b: int, loss_a: float, loss_b: float) -> Line:
    """The optimiser's real steps between two stored snapshots.

    >>> line = real_step("adam", 889, 1000, 0.006382, 0.006360)
    >>> line.caption
    "The real steps are Adam's: epoch 889 → 1000"
    >>> line.sub
    "111 steps, each weight's step sized by its own gradient history; loss 0.00638 → 0.00636"
    >>> line.narration.split(". ")[-1]
    'The loss barely moved, from 0.00638 to 0.00636.'
    """
    steps = epoch_b - epoch_a
    n = f"{steps} step{'s' if steps != 1 else ''}"
    if optimizer == "adam":
        name, how = "Adam's", f"{n}, each weight's step sized by its own gradient history"
        said = "with Adam, which scales each weight's step by its own gradient history"
    else:
        name, how = "SGD's", f"{n} with momentum: each goes on the way the last went"
        said = "with momentum: each step keeps some of the way the last one went"
    return Line(
        f"The real steps are {name}: epoch {epoch_a} → {epoch_b}",
        f"{how}; loss {_loss(loss_a, loss_b)}",
        narration=f"The real training took {n} from epoch {epoch_a} to {epoch_b}, {said}. "
        f"The loss {_change_said(loss_a, loss_b, 'went', 'moved')}.",
    )


def plane_note(index: int, original: Sequence[tuple[str, float]] = ()) -> str:
    """Under the input plane, while the point is followed, in short lines; ``original``:
    its coordinates in the data's own units (column, value), when the network sees them
    standardised (the scene shortens long column names to fit).

    >>> print(plane_note(12, [("alcohol", 13.2), ("proline", -1.5)]))
    point #12 ringed
    boundary in white
    data: alcohol 13.2, proline −1.5
    """
    note = f"point #{index} ringed\nboundary in white"
    if original:
        note += "\n" + units_line(original)
    return note


def units_line(original: Sequence[tuple[str, float]]) -> str:
    """The followed point in the data's own units (not standardised), on one line.

    >>> units_line([("x", 2.7691), ("y", 2.0781)])
    'data: x 2.769, y 2.078'
    >>> units_line([("", 41.382), ("", -32.38)])
    'data: 41.38, −32.38'
    """
    values = ", ".join(f"{c} {v:.4g}".strip().replace("-", MINUS) for c, v in original)
    return f"data: {values}"


def standardised_head() -> str:
    """Over the followed point's values in the data's units and as the network sees them."""
    return "in the data  →  standardised"


def standardised_note() -> str:
    """Under the followed point's values: how the network's are made."""
    return "x = (value − mean) / sd\nwith its column's mean and sd"


def step_note(changed: float, before: str, after: str) -> str:
    """Under the input plane, after a step: the two boundaries and how much changed.

    >>> print(step_note(0.0004, "before the step", "after"))
    boundary before the step: grey
    after: yellow
    < 0.1 % of the plane flips class
    """
    return f"boundary {before}: grey\n{after}: yellow\n{pct(changed)} of the plane flips class"


def regions_note() -> str:
    """Under the input plane while the neurons' responses are shown."""
    return "decision regions\nboundary in white"


def responses_note() -> str:
    """On the board while the neurons' responses are shown: how the inputs' and hidden
    units' colours are scaled (the output's are the classes': :func:`output_key`)."""
    return (
        "inputs and hidden units:\nblue > 0, orange < 0\nfull colour: the largest values"
        "\nthe data points give the layer"
    )


def output_key(names: Sequence[str], one_logit: bool, more: int = 0) -> tuple[str, list[str]]:
    """The output row's key, for swatches of the class colours (its pictures are tinted by
    class, not by sign): the key's head, and the words beside each swatch (a numbered
    class as ``class 1``, a named one by its name). ``one_logit``: one output, p(class 1),
    in class 1's colour above ½ and class 0's below; else one picture per class drawn
    (``names``), in its own colour, ``more`` classes not drawn.

    >>> output_key(["0", "1"], True)
    ('output: p(class 1), by class', ['class 0: p < ½', 'class 1: p > ½'])
    >>> output_key(["Beagle", "Poodle", "Pug"], False, 2)
    ('output: each class in its colour', ['Beagle', 'Poodle', 'Pug', '+2 more'])
    """
    said = [class_name(n) if n.lstrip("-").isdigit() else n for n in names]
    if one_logit:
        zero, one = said[:2]
        return f"output: p({class_name(names[1])}), by class", [
            f"{zero}: p < ½",
            f"{one}: p > ½",
        ]
    return "output: each class in its colour", [*said, *([f"+{more} more"] if more else [])]


def point_gradient_note() -> str:
    """On the board as backpropagation starts: whose gradient this is, and where from."""
    return "this point's own loss; its gradients\nare computed from the stored weights"


def gradient_note(computed: bool) -> str:
    """On the board during the step: what the edges show now, and where g came from."""
    how = "computed from the weights" if computed else "stored with the run"
    return f"edges: g, the mean gradient\nover the training points\n({how})"


def responses() -> Line:
    """Neuron responses: what each neuron computes over the whole plane."""
    return Line(
        "What each neuron responds to",
        "its value over the input plane: blue > 0, orange < 0, as in TensorFlow Playground; "
        "first x₁ and x₂",
        narration="What does each neuron respond to? Each picture is one neuron's value over "
        "the whole input plane, blue where it is positive, orange where it is negative. First, "
        "the two inputs themselves.",
    )


def responses_layer(n: int, act: str, d_in: int) -> Line:
    """Hidden layer ``n``'s responses.

    >>> responses_layer(1, "tanh", 2).caption
    'Layer 1: each unit cuts the plane along a line'
    >>> responses_layer(2, "relu", 8).sub
    'each unit weighs the 8 responses before it, adds its bias, applies relu'
    >>> responses_layer(3, "tanh", 1).sub
    'each unit scales the one response before it, adds its bias, applies tanh'
    """
    name = act.replace("_", " ")
    if n == 1:
        return Line(
            "Layer 1: each unit cuts the plane along a line",
            f"{name}(w·x + b) is constant along every line parallel to w·x + b = 0: "
            "straight stripes",
            narration="In layer 1, each unit cuts the plane along a straight line: its value "
            "changes only across that line, so every picture is made of straight stripes.",
        )
    if d_in == 1:  # one picture before it: scaled, shifted and squashed, not combined
        return Line(
            f"Layer {n}: built from layer {n - 1}'s response",
            f"each unit scales the one response before it, adds its bias, applies {name}",
            narration=f"Layer {n} builds on layer {n - 1}'s single unit: each unit scales its "
            f"one picture, adds its bias and applies {_act_said(act)}: it draws the same "
            "contours, only shifted and sharpened.",
        )
    return Line(
        f"Layer {n}: built from layer {n - 1}'s responses",
        f"each unit weighs the {d_in} responses before it, adds its bias, applies {name}",
        narration=f"Layer {n} builds on layer {n - 1}: each unit weighs the {d_in} pictures "
        f"before it, adds its bias and applies {_act_said(act)}, so its shapes can bend.",
    )


def responses_output(names: Sequence[str], accuracy: float, one_logit: bool = True) -> Line:
    """The output's response: the class probabilities, i.e. the decision, tinted by class
    (not by sign, as the units before it). ``one_logit``: one output, p(``names[1]``).

    >>> line = responses_output(["0", "1"], 1.0)
    >>> line.caption
    'The output, in class colours: the decision itself'
    >>> line.sub
    'p(class 1) over the plane: 100 % of the training points fall in their own class'
    """
    if one_logit:
        what = f"p({class_name(names[1])})"
        said = (
            f"the probability of {class_name(names[1])} everywhere in the plane, in "
            f"{class_name(names[1])}'s colour where it is above one half and in "
            f"{class_name(names[0])}'s below"
        )
    else:
        what = "each class's probability"
        said = (
            "each class's probability everywhere in the plane, each in its own class's "
            "colour, strongest where it is near one"
        )
    return Line(
        "The output, in class colours: the decision itself",
        f"{what} over the plane: {pct(accuracy)} of the training points fall in their own class",
        narration=f"The output's {'picture is' if one_logit else 'pictures are'} the decision "
        f"itself, coloured by class, not by sign: {said}. {pct(accuracy)} of the training "
        "points fall in their own class.",
    )
