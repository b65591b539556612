"""The anatomy's words: pure functions of the network's real numbers (no Manim).

Each beat's words are a :class:`~scenes.narration.text.Line` (the ``*_note`` functions give
the short notes beside the pictures, as strings). A line's caption and subcaption write the
arithmetic out for the eye; its narration says the same in sentences a voice can read and a
listener can follow, with the one or two numbers that matter. :mod:`scenes.anatomy.plan`
calls them with numbers from :mod:`scenes.anatomy.numbers`, and every number on screen is written by
:func:`num` (two decimals; anything that rounds to zero is ``0.00``), so what a test computes
and what a viewer reads are the same string. An equation on screen checks out with the
numbers it shows: where two decimals would not, its inputs get a third or a fourth
(:func:`written`), and only if even that fails is it written with ``≈``.

>>> num(-0.4567), num(0.00031), num(-2.5e-7), num(0.0051)
('−0.46', '0.00', '0.00', '0.01')
>>> forward(1, "tanh", [0.5, -1.0], [0.25, 0.75], 0.2, -0.425, -0.4011).sub
'unit 1: z = 0.50·0.25 − 1.00·0.75 + 0.20 = −0.42, then tanh(−0.42) = −0.40'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from nnmodel import activations
from scenes.narration.text import Line

__all__ = [
    "DIGITS",
    "activation",
    "backward",
    "class_name",
    "decimals",
    "descent_note",
    "diagram",
    "error",
    "fixed",
    "forward",
    "gradient_note",
    "largest_move",
    "loss_equation",
    "boundary_line",
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
    "sig",
    "standardised_head",
    "standardised_note",
    "start_note",
    "step_note",
    "units_line",
    "update",
    "value",
    "weights",
    "written",
    "written_act",
]

MINUS = "−"


def num(v: float) -> str:
    """A number as the screen shows it: 2 decimals (whole above 100), with a real minus
    sign; anything that rounds to zero is ``0.00``, never ``−0.00`` or ``4.0e−10``."""
    return fixed(v, 2)


def fixed(v: float, digits: int = 2) -> str:
    """``v`` with ``digits`` decimals (at 2, :func:`num`'s rules: whole above 100), zero
    without a sign, and a real minus sign.

    >>> fixed(0.4567, 3), fixed(-0.0004, 3), fixed(123.456), fixed(-0.004)
    ('0.457', '0.000', '123', '0.00')
    """
    x = float(v)
    if not math.isfinite(x):
        return str(x)
    s = f"{x:.0f}" if digits == 2 and abs(x) >= 100 else f"{x:.{digits}f}"
    if float(s) == 0:
        s = s.lstrip("-")
    return s.replace("-", MINUS)


def value(s: str) -> float:
    """The number a written one (:func:`fixed`) stands for.

    >>> value("−0.48"), value("(−0.48)")
    (-0.48, -0.48)
    """
    return float(s.strip("()").replace(MINUS, "-"))


#: The decimals a written equation's inputs may take, fewest first (:func:`written`).
DIGITS = (2, 3, 4)


def decimals(s: str) -> int:
    """How many decimals a written number has.

    >>> decimals("−0.481"), decimals("12")
    (3, 0)
    """
    return len(s.split(".")[1]) if "." in s else 0


def written(
    f: Callable[..., float], args: Sequence[float], result: str, least: int = 2
) -> tuple[list[str], str]:
    """How to write ``f(args) = result`` so that it checks out with the numbers written:
    the arguments with the fewest decimals (``least`` to 4) at which ``f`` of them, written
    with ``result``'s decimals, *is* ``result``, and ``=``; if none do, with ``least``
    decimals and ``≈``. A student who redoes the arithmetic gets what the screen says.

    >>> written(lambda p: -math.log(p), [0.5068], num(-math.log(0.5068)))
    (['0.507'], '=')
    >>> written(lambda p: -math.log(p), [0.84], "0.17")
    (['0.84'], '=')
    """
    for d in DIGITS:
        if d < least:
            continue
        shown = [fixed(a, d) for a in args]
        if fixed(f(*[value(t) for t in shown]), decimals(result)) == result:
            return shown, "="
    return [fixed(a, least) for a in args], "≈"


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


#: Below this share of the training points right, the opening says what always answering
#: the commonest class would get: the network has learned only part of the pattern.
POOR = 0.9
#: The longest a subcaption may be and still fit the frame at its full size.
SUB_MAX = 100


def diagram(
    widths: Sequence[int],
    acts: Sequence[str],
    epoch: int,
    shown: int | None = None,
    outputs_picked: bool = False,
    accuracy: float = 1.0,
    baseline: float = 0.0,
) -> Line:
    """The network as a whole: its layers, how many numbers it learned, and how well it
    does: ``accuracy`` of the training points right; when that is below :data:`POOR`, what
    always answering the commonest class gets (``baseline``), so a failed network's story
    is not told as if it worked.

    ``shown``: how many units a layer too wide to draw shows, those that matter most for
    the point followed (None: every layer fits); ``outputs_picked`` is accepted for the
    callers' sake (the output layer is too wide too: its units are the point's likeliest
    classes, which matter most to it as well). The subcaption drops words, then shortens
    them, to keep within :data:`SUB_MAX` characters.

    >>> line = diagram([2, 2, 1], ["tanh"], 1000)
    >>> line.caption
    'The network after 1000 epochs gets 100 % of points right'
    >>> line.sub
    '2 inputs → 2 → 1 output: 1 tanh layer, 9 weights and biases'
    >>> for part in diagram([2, 16, 16, 3], ["relu"] * 2, 10, 5, False, 0.41, 0.34).sub.split("; "):
    ...     print(part)
    2 inputs → 16 → 16 → 3 outputs
    guessing one class: 34 %
    5 units drawn per wide layer
    """
    del outputs_picked
    n_params = sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))
    kinds = sorted(set(acts), key=list(acts).index)
    layers = f"{len(acts)} {'/'.join(k.replace('_', ' ') for k in kinds)} layer"
    layers += "s" if len(acts) != 1 else ""
    if not acts:
        layers = "no hidden layer"
    poor = accuracy < POOR
    extras: list[tuple[str, str]] = []  # (long, short) wordings
    if poor:
        extras.append(
            (
                f"always answering one class gets {pct(baseline)}",
                f"guessing one class: {pct(baseline)}",
            )
        )
    if shown is not None:
        extras.append(
            (
                f"wide layers: the {shown} our point uses most",
                f"{shown} units drawn per wide layer",
            )
        )
    heads = (
        f"{_arch(widths)}: {layers}, {n_params:,} weights and biases",
        f"{_arch(widths)}, {n_params:,} weights and biases",
        _arch(widths),
    )
    sub = heads[-1]
    for head, k in [(heads[0], 0), (heads[1], 0), (heads[0], 1), (heads[1], 1), (heads[2], 1)]:
        sub = "; ".join([head, *[e[k] for e in extras]])
        if len(sub) <= SUB_MAX:
            break
    said = (
        f"Here is the network after {epoch} epochs, neuron by neuron: "
        f"{_count(widths[0], 'input')}, {_layers_said(widths, acts)}, and "
        f"{_count(widths[-1], 'output')}. Training learned {n_params:,} numbers: its "
        f"weights and biases. It gets {pct(accuracy)} of its training points right."
    )
    if poor:
        if accuracy <= baseline + 0.02:
            said += (
                f" That is no better than always answering the same class, which gets "
                f"{pct(baseline)}: it has not learned the pattern."
            )
        else:
            said += (
                f" Always answering the same class would get {pct(baseline)}, so it has "
                "learned only part of the pattern."
            )
    if shown is not None:
        said += (
            f" A wide layer shows {shown} of its units: those the point we will follow uses most."
        )
    caption = f"The network after {epoch} epochs gets {pct(accuracy)} of points right"
    return Line(caption, sub, narration=said)


def weights(
    largest: float, where: str, colours: tuple[str, str] | None = ("purple", "red")
) -> Line:
    """What the lines and the numbers under the neurons are. ``colours``: what the sign
    colours are called (positive, negative), or None when a theme changed them (the words
    then name no colour, the legend under the diagram shows them).

    >>> weights(-3.36, "the output").sub.split(";")[0]
    'purple adds, red subtracts, thicker is larger (up to −3.36, into the output)'
    >>> weights(-3.36, "the output", None).sub.split(";")[0]
    'colour: adds or subtracts (legend), thicker is larger (up to −3.36, into the output)'
    """
    if colours is None:
        how = "colour: adds or subtracts (legend)"
        said = "Its colour says whether it adds or subtracts, as the legend shows"
    else:
        pos, neg = colours
        how = f"{pos} adds, {neg} subtracts"
        said = f"{pos.capitalize()} lines add, {neg} ones subtract"
    return Line(
        "Every line is a weight",
        f"{how}, thicker is larger (up to {num(largest)}, into {where}); b: each neuron's bias",
        narration=f"Every line is a weight. {said}, and the thicker the line, the larger the "
        f"weight: the largest, {num(largest)}, feeds {where}. The b under each neuron is its "
        "bias.",
    )


def sample(
    index: int,
    x: Sequence[float],
    label: str,
    chosen: bool,
    margin: float,
    right: bool,
    standardised: bool = False,
    reason: str = "clear",
) -> Line:
    """The point we follow, and why this one; ``standardised``: ``x`` are its values as the
    network sees them, standardised (not the data's own). ``reason``: why the default rule
    chose it (:func:`scenes.anatomy.numbers.choose_sample`).

    >>> sample(7, [0.4, -0.13], "1", False, 0.48, True).caption
    'Follow one point: (0.40, −0.13), class 1'
    >>> sample(7, [0.98, 0.94], "bird", False, 0.48, True, True).caption
    "Follow one point, standardised: (0.98, 0.94), class 'bird'"
    >>> sample(7, [0.4, -0.13], "1", False, 0.03, True, reason="stopped").sub
    'for every point it gets right, some layer is flat, as here: no gradient will flow back'
    """
    how = ", standardised" if standardised else ""
    head = f"Follow one point{how}: ({num(x[0])}, {num(x[1])}), {class_name(label)}"
    lead = num(margin)
    if chosen:
        verdict = "the network gets it right" if right else "the network gets it wrong"
        sub = f"point #{index}, as asked: {verdict} (margin {lead})"
        said = f"Let's follow point number {index}, of {class_name(label)}; {verdict}."
    elif reason == "clear":
        sub = (
            f"a training point near the boundary, still clearly right: its class leads by "
            f"{lead} in logits"
        )
        said = (
            f"Let's follow one point through the network, of {class_name(label)}: a training "
            "point near the boundary that the network still gets clearly right."
        )
    elif reason == "closest":
        sub = f"no point is clearly right with gradient flowing; this one leads most: by {lead}"
        said = (
            f"Let's follow one point of {class_name(label)}. The network is unsure of every "
            "point whose gradient can flow back; this is the one it is surest of."
        )
    elif reason == "stopped":
        sub = (
            "for every point it gets right, some layer is flat, as here: no gradient will flow back"
        )
        said = (
            f"Let's follow one point of {class_name(label)}, near the boundary. For every point "
            "the network gets right, some hidden layer is flat, so no gradient can flow back "
            "from it: watch the gradients stop."
        )
    else:
        sub = f"the network gets no training point right: this one is nearest (margin {lead})"
        said = (
            f"Let's follow one point of {class_name(label)}. The network gets no training "
            "point right; this one is the nearest to being right."
        )
    if standardised:
        said += (
            " The network sees its two values standardised: each column shifted to a mean "
            "of zero and scaled to a spread of one."
        )
    return Line(head, sub, narration=said)


def written_act(act: str, z: float, h: float) -> tuple[str, str]:
    """``z`` as written in ``act(z) = h`` so that it checks out (:func:`written`), and the
    relation, ``=`` or ``≈``.

    >>> written_act("tanh", 0.4715, 0.4393), written_act("relu", -0.77, 0.0)
    (('0.47', '='), ('−0.77', '='))
    """
    f = activations.get(act)
    shown, rel = written(lambda v: float(f(v)), [z], num(h))
    return shown[0], rel


def forward(
    n: int,
    act: str,
    w_row: Sequence[float],
    inputs: Sequence[float],
    b: float,
    z: float,
    a: float,
    unit: int = 1,
) -> Line:
    """Hidden layer ``n`` computing, with unit ``unit``'s arithmetic written out (up to 3
    inputs; wider inputs are summed in words), every number written so that the sum and
    the activation check out (:func:`written`).

    >>> forward(2, "relu", [0.1] * 8, [1.0] * 8, 0.5, 1.3, 1.3).caption
    'Layer 2: z = W·h + b, then h = relu(z)'
    >>> w, x, b = [1.6612, -0.8913], [-0.4836, 0.3082], 1.5467  # 2 decimals would give 0.48
    >>> forward(1, "tanh", w, x, b, 0.46864, 0.43688).sub
    'unit 1: z = 1.661·(−0.484) − 0.891·0.308 + 1.547 = 0.47, then tanh(0.47) = 0.44'
    """
    name = act.replace("_", " ")
    head = f"Layer {n}: z = W·{'x' if n == 1 else 'h'} + b, then h = {name}(z)"
    z_text, act_rel = written_act(act, z, a)
    if len(w_row) <= 3:
        ws, xs = list(w_row), list(inputs)

        def total(*v: float) -> float:
            k = len(ws)
            return sum(v[i] * v[k + i] for i in range(k)) + v[-1]

        shown, sum_rel = written(total, [*ws, *xs, b], z_text, max(2, decimals(z_text)))
        terms = ""
        k = len(ws)
        for i in range(k):
            w_t, x_t = shown[i].lstrip(MINUS), shown[k + i]
            factor = f"{w_t}·{_paren(x_t)}"
            if i == 0:
                terms = f"{MINUS if ws[i] < 0 and value(w_t) else ''}{factor}"
            else:
                terms += f" {MINUS if ws[i] < 0 and value(w_t) else '+'} {factor}"
        terms += f" {MINUS if value(shown[-1]) < 0 else '+'} {shown[-1].lstrip(MINUS)}"
    else:
        terms, sum_rel = f"{len(w_row)} weights × inputs, summed, + {_paren(num(b))}", "="
    which = "the first unit" if unit == 1 else f"unit {unit}"
    said = (
        f"Layer {n} weighs {'the point' if n == 1 else 'the layer before'} with its weights, "
        f"adds its bias, then applies {_act_said(act)}. In {which} that sum is "
        f"{z_text}, and {_act_said(act)} makes it {num(a)}."
    )
    sub = f"unit {unit}: z = {terms} {sum_rel} {z_text}, then {name}({z_text}) {act_rel} {num(a)}"
    return Line(head, sub, narration=said)


def _paren(v: str) -> str:
    """A written number, in brackets if it is negative (after a ``·``)."""
    return f"({v})" if v.startswith(MINUS) else v


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
    """The output layer: logits, probabilities, and this point's loss, each equation
    written so that it checks out (:func:`written`, :func:`loss_equation`).

    >>> output(["0", "1"], [0.08], [0.48, 0.52], 1, 0.654).caption
    'Output: logit 0.08 → p(class 1) = σ(0.08) = 0.52'
    >>> output(["0", "1"], [0.027], [0.4932, 0.5068], 1, 0.6797).sub
    'true class 1: loss = −ln 0.507 = 0.68'
    """
    p_true = probs[label]
    true = class_name(class_names[label])
    sub = f"true {true}: {loss_equation(p_true, loss)}"
    if len(logits) == 1:
        (z_text,), rel = written(_sigmoid, [logits[0]], num(probs[1]))
        head = (
            f"Output: logit {z_text} → p({class_name(class_names[1])}) = "
            f"σ({z_text}) {rel} {num(probs[1])}"
        )
        said = (
            f"The output is one number, {z_text}, and the sigmoid turns it into the "
            f"probability of {class_name(class_names[1])}: {num(probs[1])}."
        )
    else:
        head = f"Output: {len(logits)} logits → softmax → probabilities that sum to 1"
        said = (
            f"The output is {len(logits)} numbers, and softmax turns them into probabilities "
            "that add up to one."
        )
    said += (
        f" The point is {true}, which gets {_p_text(p_true, loss)}, so its loss, minus the log "
        "of that,"
        f" is {num(loss)}."
    )
    return Line(head, sub, narration=said)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def loss_equation(p_true: float, loss: float) -> str:
    """``loss = −ln p = L``, written so that it checks out (:func:`written`).

    >>> loss_equation(0.8355, 0.1797)
    'loss = −ln 0.836 = 0.18'
    """
    (p_text,), rel = _loss_written(p_true, loss)
    return f"loss = −ln {p_text} {rel} {num(loss)}"


def _loss_written(p_true: float, loss: float) -> tuple[list[str], str]:
    """``p`` as written in ``−ln p = loss`` (:func:`written`), and the relation."""
    return written(lambda p: -math.log(p) if p > 0 else math.inf, [p_true], num(loss))


def _p_text(p_true: float, loss: float) -> str:
    """``p`` as the loss's equation writes it (so the narration says the same)."""
    return _loss_written(p_true, loss)[0][0]


def error(probs: Sequence[float], label: int, delta: Sequence[float]) -> Line:
    """Where backpropagation starts: the output's δ = p − y.

    >>> error([0.48, 0.52], 1, [-0.48]).sub
    'at the output δ = dL/dz = p − y = 0.52 − 1 = −0.48: raise this logit'
    """
    said = "Backpropagation starts at the loss. "
    if len(delta) == 1:
        d = delta[0]
        way = "raise this logit" if d < 0 else "lower this logit"
        (p_text,), rel = written(lambda p: p - label, [probs[1]], num(d))
        sub = f"at the output δ = dL/dz = p − y = {p_text} − {label} {rel} {num(d)}: {way}"
        said += (
            f"At the output, the error is the probability minus the true label: "
            f"{p_text} minus {label}, or {num(d)}. The logit should go "
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
    layer: int,
    n_layers: int,
    act_below: str | None,
    top_dw: float,
    top_dz: float,
    arriving: float = 1.0,
    carried: float = 1.0,
    flat_below: bool = False,
) -> Line:
    """One weight layer on the way back (``layer`` from 0; the last is the output layer):
    its largest ``|dL/dW|`` and, above a hidden layer, that layer's largest ``|δ|``.

    Where its numbers show as 0.00, the words say why. ``arriving``: the largest ``|δ|`` of
    the units this layer feeds; exactly 0, no error reaches it; below 0.005, the error has
    faded on its way back (it is not 0). ``carried``: the largest input its weights carry;
    showing as 0.00, ``dL/dW = δ × input`` is 0.00 for that reason. ``flat_below``: every
    unit of the layer below is flat for this point (``act_below′(z)`` 0 or nearly), so
    the gradient stops there.

    >>> backward(0, 3, None, 0.012, 0.0).sub
    'the input needs no δ: the gradient is done (largest |dL/dW| here 0.01)'
    >>> backward(1, 2, "relu", 0.0, 0.0, carried=0.0, flat_below=True).sub
    "dL/dW = δ × h = 0.00: layer 1's h are all 0.00; relu′(z) = 0 too, so layer 1's δ = 0.00"
    >>> backward(0, 2, None, 0.0, 0.0, arriving=0.0).sub
    'no error reaches layer 1: every δ of its units is 0, so every dL/dW = 0.00'
    >>> backward(2, 4, "tanh", 0.003, 0.002, arriving=0.004).sub
    'the error has faded: every |dL/dW| and every |δ| of layer 2 is below 0.005, shown 0.00'
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
    below = f"layer {layer}"
    slope = f"{(act_below or '').replace('_', ' ')}′(z)"
    zero = "= 0" if act_below == "relu" else "≈ 0"
    dw_zero, dz_zero = num(top_dw) == "0.00", num(top_dz) == "0.00"
    x = "h" if layer else "x"
    if arriving == 0:
        sub = f"no error reaches {name}: every δ of its units is 0, so every dL/dW = 0.00"
        said += " But no error reaches it: every error above is zero, so are its gradients."
    elif dw_zero and num(carried) == "0.00":
        sub = f"dL/dW = δ × {x} = 0.00: {below}'s {x} are all 0.00"
        said += " But every input it carries is zero for this point, so its gradients are zero."
        if act_below is not None and flat_below:
            sub += f"; {slope} {zero} too, so {below}'s δ = 0.00"
            said += (
                f" And {_act_said(act_below)} is flat at every unit of {below}, so no error "
                "flows on below it."
            )
        elif act_below is not None:
            sub += f"; {below}: largest |δ| {num(top_dz)}"
    elif act_below is not None and flat_below:
        sub = (
            f"largest |dL/dW| {num(top_dw)}; {slope} {zero} at every unit of {below}: "
            f"its δ = 0.00, the gradient stops"
        )
        said += (
            f" Then the error would flow on, scaled by the slope of {_act_said(act_below)}; "
            f"but that slope is {'zero' if zero == '= 0' else 'almost zero'} at every unit of "
            f"{below} for this point, so the gradient stops there."
        )
    elif act_below is not None and dw_zero and dz_zero:
        sub = (
            f"the error has faded: every |dL/dW| and every |δ| of {below} is below 0.005, "
            "shown 0.00"
        )
        said += (
            " By now the error has faded: these gradients are not zero, but too small to "
            "show with two decimals."
        )
    elif act_below is None:
        dw = f"largest |dL/dW| here {num(top_dw)}" if not dw_zero else "every |dL/dW| < 0.005"
        sub = f"the input needs no δ: the gradient is done ({dw})"
        said += " Its inputs are the point itself, so the gradient is complete."
        if dw_zero:
            said += " The error has faded on the way: these gradients are tiny, not zero."
    else:
        dw = f"largest |dL/dW| {num(top_dw)}" if not dw_zero else "every |dL/dW| < 0.005"
        dz = f"largest |δ| {num(top_dz)}" if not dz_zero else "every |δ| < 0.005"
        sub = f"{dw}; then δ = (Wᵀδ) × {slope} for {below}: {dz}"
        said += (
            f" Then the error flows back through its weights, scaled by the slope of "
            f"{_act_said(act_below)}, to {below}."
        )
        if dw_zero or dz_zero:
            said += " What flows is tiny, though not zero: the error fades on its way back."
    return Line(head, sub, narration=said)


def sig(v: float, digits: int = 2) -> str:
    """``v`` to ``digits`` significant digits, written out in decimals (never scientific
    notation), with a real minus sign.

    >>> sig(0.003878), sig(0.1094), sig(2.5329), sig(-0.000117), sig(0.0)
    ('0.0039', '0.11', '2.5', '−0.00012', '0')
    """
    x = float(v)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    places = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    return f"{x:.{places}f}".replace("-", MINUS)


def largest_move(lr: float, g_max: float) -> str:
    """The most any weight or bias moves in one plain step, ``lr`` times the largest
    ``|g|``, written so that it checks out with the numbers written (two lines).

    >>> print(largest_move(0.03, 0.003878))
    largest move (any W or b):
    0.03·0.0039 = 0.00012
    """
    g = sig(g_max)
    return f"largest move (any W or b):\n{lr:g}·{g} = {sig(value(f'{lr:g}') * value(g))}"


def _steps(n: int) -> str:
    """``1 step``, ``300 steps``, ``1,000 steps``."""
    return f"{n:,} step{'' if n == 1 else 's'}"


def _flips_said(share: float) -> str:
    """How much of the plane changes class, for the ear.

    >>> for share in (0.0, 0.0004, 0.102):
    ...     print(_flips_said(share))
    no part of the plane changes class
    less than 0.1 % of the plane changes class
    10 % of the plane changes class
    """
    if share == 0:
        return "no part of the plane changes class"
    said = pct(share).replace("< ", "less than ")
    return f"{said} of the plane changes class"


def update(
    lr: float,
    n_train: int,
    loss_before: float,
    loss_after: float,
    *,
    epoch: int,
    changed: float,
    g_max: float,
    settled: bool,
    start: int,
    steps: int,
    steps_losses: tuple[float, float],
    steps_changed: float,
) -> Line:
    """One step of plain gradient descent with the mean gradient over the training points
    at epoch ``epoch`` (the losses before and after it, the share of the plane that
    ``changed`` class, the largest ``|g|``), then ``steps`` such steps from epoch
    ``start`` (their losses, the share of the plane they flip): a step is small, and where
    training has ``settled`` (the gradient nearly 0) it does next to nothing, so the
    steps start where the gradient was largest (:func:`scenes.anatomy.numbers.descent`).

    >>> line = update(0.03, 320, 0.006362, 0.006360, epoch=1000, changed=0.0, g_max=0.0039,
    ...               settled=True, start=18, steps=300, steps_losses=(0.517, 0.2925),
    ...               steps_changed=0.102)
    >>> line.caption
    'One step: W ← W − 0.03·g'
    >>> line.sub
    'epoch 1000: g nearly 0, loss 0.006362 → 0.006360; epoch 18: 300 steps flip 10 % of the plane'
    >>> update(0.03, 320, 0.6848, 0.6846, epoch=5, changed=0.0093, g_max=0.08, settled=False,
    ...        start=5, steps=100, steps_losses=(0.6848, 0.61), steps_changed=0.07).sub
    'one step: loss 0.6848 → 0.6846, 0.9 % of the plane flips; 100 steps flip 7 %'
    """
    a, b = steps_losses
    flips = f"flip{'s' if steps == 1 else ''}"
    if settled:
        subs = [
            f"epoch {epoch}: g nearly 0, loss {_loss(loss_before, loss_after)}; "
            f"epoch {start}: {_steps(steps)} {flips} {pct(steps_changed)}{tail}"
            for tail in (" of the plane", "")
        ]
    else:
        subs = [
            f"one step: loss {_loss(loss_before, loss_after)}, {pct(changed)}{tail} flips; "
            f"{_steps(steps)} flip{'s' if steps == 1 else ''} {pct(steps_changed)}"
            for tail in (" of the plane", "")
        ]
    sub = next((t for t in subs if len(t) <= SUB_MAX), subs[-1])
    said = (
        "One step of gradient descent: every weight moves against its gradient, averaged "
        f"over all {n_train} training points, times the learning rate, {lr:g}. "
    )
    move = sig(value(f"{lr:g}") * value(sig(g_max)))
    if loss_after > loss_before:
        one = "The loss goes up: this plain step overshoots"
    else:
        one = f"The loss {_change_said(loss_before, loss_after)}"
    many = _steps(steps).replace("step", "such step")
    share = pct(steps_changed).replace("< ", "less than ")
    if steps_changed >= VISIBLE:
        moved = f"change the class of {share} of the plane"
    elif steps_changed > 0:
        moved = f"change the class of only {share} of the plane"
    else:
        moved = "change the class of no part of the plane"
    if steps == 1:
        moved = moved.replace("change", "changes", 1)
    if settled:
        said += (
            f"After {epoch} epochs the gradient is nearly zero: no weight or bias moves by "
            f"more than {move}. {one}, and {_flips_said(changed)}. At epoch {start} the "
            f"gradient was larger: from the weights of epoch {start}, {many}, computed here, "
            f"{moved}."
        )
    else:
        said += (
            f"No weight or bias moves by more than {move}. {one}, and {_flips_said(changed)}. "
            f"One step is small: {many} {moved}."
        )
    if b > a:
        said += " Over those steps the loss goes up: plain steps this large overshoot."
    else:
        said += f" Over those steps the loss {_change_said(a, b)}."
    return Line(f"One step: W ← W − {lr:g}·g", sub, narration=said)


#: The share of the plane whose class must flip for the words to say the boundary moved
#: (:data:`scenes.anatomy.numbers.VISIBLE`, which a test keeps equal).
VISIBLE = 0.05


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


def plane_note(cls: str, original: Sequence[tuple[str, float]] = (), only: str = "") -> str:
    """Under the input plane, while the point is followed, in short lines: which point is
    ringed (``cls``: its class, as :func:`class_name` writes it), the boundary, or, when
    the network gives the whole plane one class, ``only`` (that class's words: the picture
    has no boundary to show); ``original``: its coordinates in the data's own units
    (column, value), when the network sees them standardised (the scene shortens long
    column names to fit).

    >>> print(plane_note("class 'bird'", [("alcohol", 13.2), ("proline", -1.5)]))
    ringed: our point, class 'bird'
    boundary in white
    data: alcohol 13.2, proline −1.5
    >>> print(plane_note("class 1", only="class 0"))
    ringed: our point, class 1
    no boundary: all class 0
    """
    note = f"ringed: our point, {cls}\n{boundary_line(only)}"
    if original:
        note += "\n" + units_line(original)
    return note


def boundary_line(only: str = "") -> str:
    """What the plane shows of the boundary: the white line, or that there is none (the
    network gives the whole plane the class ``only``).

    >>> boundary_line(), boundary_line("class 'outer'")
    ('boundary in white', "no boundary: all class 'outer'")
    """
    return f"no boundary: all {only}" if only else "boundary in white"


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


def step_note(
    changed: float,
    before: str,
    after: str,
    seen: tuple[bool, bool] = (True, True),
    covered: bool = False,
) -> str:
    """Under the input plane, after a step: the two boundaries and how much changed.
    ``seen``: whether there is a boundary before (grey) and after (yellow, drawn over the
    grey) in the plane; ``covered``: the yellow covers the grey entirely (it did not
    move). The words speak only of lines that are there.

    >>> print(step_note(0.0004, "before the step", "after"))
    boundary before the step: grey
    after: yellow
    < 0.1 % of the plane flips class
    >>> print(step_note(0.0, "at epoch 5", "at 6", (False, False)))
    no boundary in the plane
    at epoch 5 or at 6
    0 % of the plane flips class
    >>> step_note(0.0, "at epoch 5", "at 6", covered=True).splitlines()[1]
    'at 6: yellow, over it'
    """
    flips = f"{pct(changed)} of the plane flips class"
    grey, yellow = seen
    if grey and yellow:
        over = ", over it" if covered else ""
        return f"boundary {before}: grey\n{after}: yellow{over}\n{flips}"
    if grey:
        return f"boundary {before}: grey\n{after}: no boundary\n{flips}"
    if yellow:
        return f"no boundary {before}\n{after}: yellow\n{flips}"
    return f"no boundary in the plane\n{before} or {after}\n{flips}"


def start_note(before: str, seen: bool) -> str:
    """Under the input plane as steps begin: where their boundary starts (grey, as
    :func:`step_note` then says), or that there is none ``before`` them.

    >>> start_note("at epoch 18", True), start_note("at epoch 0", False)
    ('boundary at epoch 18: grey', 'no boundary at epoch 0')
    """
    return f"boundary {before}: grey" if seen else f"no boundary {before}"


def regions_note(only: str = "") -> str:
    """Under the input plane while the neurons' responses are shown (``only``: the one
    class the network gives the whole plane, which then has no boundary)."""
    return f"decision regions\n{boundary_line(only)}"


def responses_note() -> tuple[str, tuple[str, str], str]:
    """On the board while the neurons' responses are shown: how the inputs' and hidden
    units' pictures are coloured (by sign, a swatch of each sign colour beside its words;
    the output's are the classes': :func:`output_key`): the head, the words beside the
    two swatches, and how the colour is scaled.

    >>> head, swatches, scale = responses_note()
    >>> head, swatches
    ('inputs and hidden units, by sign:', ('> 0', '< 0'))
    """
    return (
        "inputs and hidden units, by sign:",
        ("> 0", "< 0"),
        "full colour: the largest values\nthe data points give the layer",
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
    """On the board as backpropagation starts: whose gradient this is, and where from (in
    lines that fit the board at the notes' size)."""
    return "gradients of this point's loss,\nfrom the stored weights"


def gradient_note(computed: bool, epoch: int, lr: float, g_max: float) -> str:
    """On the board during the step: what the edges show now (the mean gradient at epoch
    ``epoch``), where g came from, and the most a weight moves (:func:`largest_move`).

    >>> print(gradient_note(False, 1000, 0.03, 0.003878))
    edges: g at epoch 1000
    (mean of the training points;
    stored with the run)
    largest move (any W or b):
    0.03·0.0039 = 0.00012
    """
    how = "computed from the weights" if computed else "stored with the run"
    return (
        f"edges: g at epoch {epoch}\n(mean of the training points;\n{how})"
        f"\n{largest_move(lr, g_max)}"
    )


def descent_note(steps: int, start: int, lr: float, g_max: float) -> str:
    """On the board while the steps from epoch ``start`` are shown: what they are (plain
    descent computed here, not the run's optimiser), what the edges show, and the most a
    weight moves in the first of them.

    >>> print(descent_note(300, 18, 0.03, 0.1094))
    300 steps from epoch 18,
    g computed again each step
    (plain descent, not the run's)
    edges: g at epoch 18
    largest move (any W or b):
    0.03·0.11 = 0.0033
    """
    return (
        f"{_steps(steps)} from epoch {start},\ng computed again each step\n"
        f"(plain descent, not the run's)\nedges: g at epoch {start}\n{largest_move(lr, g_max)}"
    )


def responses(colours: tuple[str, str] | None = ("purple", "red")) -> Line:
    """Neuron responses: what each neuron computes over the whole plane, coloured by sign
    (``colours``: what the sign colours are called, or None: the legend shows them).

    >>> responses().sub
    'its value over the input plane: purple > 0, red < 0 (signs, not classes); first x₁ and x₂'
    """
    if colours is None:
        sub = "its value over the input plane, by sign (legend); first x₁ and x₂"
        said = "coloured by its sign, as the legend shows"
    else:
        pos, neg = colours
        sub = (
            f"its value over the input plane: {pos} > 0, {neg} < 0 (signs, not classes); "
            "first x₁ and x₂"
        )
        said = f"{pos} where it is positive, {neg} where it is negative"
    return Line(
        "What each neuron responds to",
        sub,
        narration="What does each neuron respond to? Each picture is one neuron's value over "
        f"the whole input plane, {said}. First, the two inputs themselves.",
    )


def responses_layer(n: int, act: str, d_in: int, flat: int = 0, drawn: int = 1) -> Line:
    """Hidden layer ``n``'s responses: ``flat`` of its ``drawn`` pictures are only faintly
    shaded (the unit's value changes little across the plane,
    :func:`scenes.anatomy.numbers.flat_pictures`), and the words do not promise stripes
    or shapes there.

    >>> responses_layer(1, "tanh", 2).caption
    'Layer 1: each unit cuts the plane along a line'
    >>> responses_layer(2, "relu", 8).sub
    'each unit weighs the 8 responses before it, adds its bias, applies relu'
    >>> responses_layer(3, "tanh", 1).sub
    'each unit scales the one response before it, adds its bias, applies tanh'
    >>> responses_layer(1, "sigmoid", 2, 3, 3).sub
    'sigmoid(w·x + b) changes little across the plane: faint shading, no clear stripes yet'
    >>> responses_layer(1, "tanh", 2, 1, 3).sub
    'tanh(w·x + b) is constant along lines w·x + b = c: stripes; 1 of the 3 only faintly shaded'
    """
    name = act.replace("_", " ")
    if flat and flat >= drawn:  # nothing clear to see: say so, not what is not there
        what, shapes = ("w·x + b", "stripes") if n == 1 else ("its inputs", "shapes")
        return Line(
            f"Layer {n}: no unit changes much over the plane",
            f"{name}({what}) changes little across the plane: faint shading, no clear {shapes} yet",
            narration=f"In layer {n}, no unit's value changes much across the plane, so each "
            f"picture is only faintly shaded: there are no clear {shapes} to see yet.",
        )
    some_said = (
        f" {_count(flat, 'picture').capitalize()} of the {drawn} {'is' if flat == 1 else 'are'}"
        " only faintly shaded: that unit's value changes little across the plane."
        if flat
        else ""
    )
    if n == 1:
        sub = (
            f"{name}(w·x + b) is constant along every line parallel to w·x + b = 0: "
            "straight stripes"
        )
        if flat:
            sub = (
                f"{name}(w·x + b) is constant along lines w·x + b = c: stripes; {flat} of "
                f"the {drawn} only faintly shaded"
            )
        return Line(
            "Layer 1: each unit cuts the plane along a line",
            sub,
            narration="In layer 1, each unit cuts the plane along a straight line: its value "
            "changes only across that line, so every picture is made of straight stripes."
            + some_said,
        )
    if d_in == 1:  # one picture before it: scaled, shifted and squashed, not combined
        return Line(
            f"Layer {n}: built from layer {n - 1}'s response",
            f"each unit scales the one response before it, adds its bias, applies {name}",
            narration=f"Layer {n} builds on layer {n - 1}'s single unit: each unit scales its "
            f"one picture, adds its bias and applies {_act_said(act)}: it draws the same "
            "contours, only shifted and sharpened." + some_said,
        )
    return Line(
        f"Layer {n}: built from layer {n - 1}'s responses",
        f"each unit weighs the {d_in} responses before it, adds its bias, applies {name}",
        narration=f"Layer {n} builds on layer {n - 1}: each unit weighs the {d_in} pictures "
        f"before it, adds its bias and applies {_act_said(act)}, so its shapes can bend."
        + some_said,
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
