"""The warp story's words: pure functions of the trajectory's numbers (no Manim).

Each function returns a :class:`~scenes.narration.text.Line` (caption, subcaption, spoken
sentence). The plan of beats (:mod:`scenes.warp.plan`) calls them; captions, subtitles and
a voice all read the same lines.

>>> layer_step("linear", 1, d_in=2, d_out=3, activation="tanh").caption
'Layer 1 · linear map W·x'
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from nnmodel import activations
from nnmodel.datacheck import DataReport
from nnmodel.health import Finding
from scenes.narration.measure import ActivationFacts, LinearFacts, ShiftFacts
from scenes.narration.text import Line

__all__ = [
    "data",
    "data_notes",
    "MAY_OVERLAP",
    "act_name",
    "chance",
    "data_cause",
    "diagnosis",
    "dims_story",
    "end_card",
    "layer_step",
    "line_question",
    "line_verdict",
    "network_why",
    "one_unit",
    "regions",
    "rewind",
    "separator_head",
    "separator_score",
    "title_card",
]


def data(
    name: str,
    n_points: int,
    counts: Sequence[int],
    columns: Sequence[str] | None = None,
    label: str | None = None,
    by_position: bool = False,
    names: Sequence[str] | None = None,
) -> Line:
    """The opening: the dataset and its classes (and its columns, when a file names them);
    ``by_position``: the points are coloured by where they start, not by class. ``names``:
    the classes' names, which the counts give when they are the user's (not 0, 1, ...).

    >>> data("wine.csv", 178, [59, 71, 48], ("alcohol", "proline"), "cultivar").caption
    'The data: proline against alcohol'
    >>> data("moons", 400, [200, 200]).narration
    'The data: the moons, 400 points in the plane, in 2 classes, one colour each.'
    >>> data("moons", 400, [200, 200], by_position=True).narration.split(", in 2 classes")[1]
    '; each point is coloured by where it starts, so you can follow it through every layer.'
    >>> data("wine.csv", 178, [59, 71, 48], ("alcohol", "proline"), "cultivar", names="123").sub
    'wine.csv: 178 points, 3 cultivar classes (1: 59, 2: 71, 3: 48 points)'
    >>> data("moons", 400, [200, 200], names=["0", "1"]).sub
    '400 points in the plane, 2 classes (200, 200 points)'
    """
    per_class = ", ".join(str(c) for c in counts)
    own = names is not None and [str(n) for n in names] != [str(k) for k in range(len(counts))]
    if own and names is not None and len(names) == len(counts):  # (else: the counts alone)
        named = ", ".join(f"{n}: {c}" for n, c in zip(names, counts, strict=True))
        if len(named) <= SUB_CHARS // 2:  # a long list of long names: the counts alone
            per_class = named
    colours = (
        "; each point is coloured by where it starts, so you can follow it through every layer."
        if by_position
        else ", one colour each."
    )
    if columns is None:
        return Line(
            f"The data: {name}",
            f"{n_points} points in the plane, {len(counts)} classes ({per_class} points)",
            narration=f"The data: the {name}, {n_points} points in the plane, in "
            f"{len(counts)} classes{colours}",
        )
    kind = f"{label} classes" if label else "classes"
    return Line(
        f"The data: {columns[1]} against {columns[0]}",
        f"{name}: {n_points} points, {len(counts)} {kind} ({per_class} points)",
        narration=f"The data: {n_points} points from {name}, {columns[1]} against "
        f"{columns[0]}, in {len(counts)} {kind}" + (colours if by_position else "."),
    )


def data_notes(report: DataReport, width: int = 30) -> str | None:
    """Short on-screen notes about the data (standardisation, scales, balance), or None.

    Wrapped to ``width`` characters a line for the side panel.

    >>> from nnmodel.datacheck import DataReport
    >>> print(data_notes(DataReport("2", 0.4, (0.8, 320.0), ("alcohol", "proline"), True, ())))
    The network sees each column
    standardised: minus its mean,
    over its standard deviation.
    """
    notes = []
    if report.standardized:
        notes.append(
            "The network sees each column standardised: minus its mean, over its "
            "standard deviation."
        )
    for check in report.checks:
        if check.kind == "scales-differ" and check.value is not None:
            lo = report.columns[1 - report.columns.index(check.column or "")]
            notes.append(
                f"'{check.column}' spreads {check.value:,.0f}× wider than '{lo}'"
                + (
                    "."
                    if report.standardized
                    else f": unscaled, the network sees mostly '{check.column}'."
                )
            )
        elif check.kind == "nearly-constant":
            notes.append(f"'{check.column}' is nearly constant: it says little.")
        elif check.kind == "imbalance":
            notes.append(
                f"Always answering '{report.majority_class}' already scores "
                f"{_pct(report.majority_acc)}."
            )
    if not notes:
        return None
    return "\n".join(textwrap.fill(n, width) for n in notes)


#: Why real data may stay tangled when nothing in it looks wrong: two columns rarely hold
#: everything that tells the classes apart.
MAY_OVERLAP = "the network may be too small, or the classes overlap in these two columns"


def diagnosis(
    report: DataReport | None, accuracy: float, n_classes: int | None = None
) -> str | None:
    """Why the classes stay tangled when the data, not the network, is the likelier cause:
    :func:`data_cause`, else :func:`chance`.

    >>> from nnmodel.datacheck import DataReport
    >>> diagnosis(DataReport("2", 0.42, (1.0, 1.0), ("x", "y"), False, ()), 0.43)
    "no better than always answering '2' (42 %)"
    """
    return data_cause(report) or chance(report, accuracy, n_classes)


def data_cause(report: DataReport | None) -> str | None:
    """A fault in the data that keeps any network from untangling it (unscaled inputs).

    >>> from nnmodel.datacheck import DataCheck, DataReport
    >>> wide = DataCheck("scales-differ", "", "proline", 395.0)
    >>> data_cause(DataReport("2", 0.4, (0.8, 320.0), ("alcohol", "proline"), False, (wide,)))
    "the inputs' scales differ 395×: standardise them"
    """
    if report is None:
        return None
    for check in report.checks:
        if check.kind == "scales-differ" and not report.standardized:
            return f"the inputs' scales differ {check.value:,.0f}×: standardise them"
    return None


#: Classes whose largest is at most this far above 1/K of the points count as balanced:
#: against them, an accuracy is read against guessing (1/K), not the largest class.
BALANCED = 0.05


def balanced(report: DataReport, n_classes: int | None) -> bool:
    """Whether the classes are (nearly) equal in size: the largest is near 1/K."""
    return bool(n_classes) and report.majority_acc <= 1 / max(n_classes or 1, 1) + BALANCED


def chance(report: DataReport | None, accuracy: float, n_classes: int | None = None) -> str | None:
    """``accuracy`` said against chance when it is no better: guessing on balanced classes
    (of ``n_classes``), always answering the largest class on unbalanced ones; else None.

    >>> from nnmodel.datacheck import DataReport
    >>> chance(DataReport("1", 0.51, (1.0, 1.0), ("x", "y"), False, ()), 0.5, 2)
    'no better than guessing (50 %)'
    >>> chance(DataReport("b", 0.63, (1.0, 1.0), ("x", "y"), False, ()), 0.64, 2)
    "no better than always answering 'b' (63 %)"
    """
    if report is None or not report.no_better(accuracy):
        return None
    if n_classes and balanced(report, n_classes):
        return f"no better than guessing ({_pct(1 / n_classes)})"
    return f"no better than always answering '{report.majority_class}' " + (
        f"({_pct(report.majority_acc)})"
    )


#: How the separator's line begins when the classes stay tangled, before the cause.
TANGLED = "the classes are still tangled: "
#: Said of a network that stays tangled when nothing points to a cause.
NO_CAUSE = "more units, more layers or more training may help"


def network_why(
    findings: Sequence[Finding], activations: Sequence[str] | None = None
) -> str | None:
    """What in the network itself keeps the classes tangled, from
    :func:`nnmodel.health.diagnose` (at the snapshot shown), or None. ``activations``
    (the hidden layers') name the activation of a layer that collapsed.

    >>> from nnmodel.health import Finding
    >>> network_why([Finding("dead-unit", "", layer=2, unit=0, share=1.0)])
    'unit 1 of layer 3 is a dead ReLU: it outputs 0 for every point'
    >>> network_why([Finding("collapsed-layer", "", layer=1)])
    'layer 2 squashes all the points onto a line or into the same place'
    >>> network_why([Finding("collapsed-layer", "Layer 1 squashes all the points onto a line: ...",
    ...                      layer=0)], ["sigmoid"])
    'layer 1 (sigmoid) squashes all the points onto a line'
    >>> network_why([Finding("collapsed-layer", "Layer 1 sends every point to the same place: ...",
    ...                      layer=0)], ["sigmoid"])
    'layer 1 (sigmoid) sends every point to the same place'
    >>> network_why([Finding("stopped-early", "")]) is None
    True
    """
    by_kind: dict[str, list[Finding]] = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)
    if by_kind.get("diverged"):
        return "the loss blew up during training: a lower learning rate may help"
    if by_kind.get("no-progress"):
        return "the loss barely moved: a larger learning rate or more epochs may help"
    for kind, one, many, what in (
        ("collapsed-layer", "", "", ""),
        ("dead-unit", "is a dead ReLU", "are dead ReLUs", "output 0 for every point"),
        ("saturated-unit", "is saturated", "are saturated", "are flat for most points"),
    ):
        found = [f for f in by_kind.get(kind, []) if f.layer is not None]
        if not found:
            continue
        first = found[0]
        layer = first.layer + 1 if first.layer is not None else 0
        if kind == "collapsed-layer":
            acts = list(activations or [])
            named = f" ({act_name(acts[layer - 1])})" if 0 < layer <= len(acts) else ""
            # health's own words for its two collapses (Finding.text), not a third way
            if "same place" in first.text:
                what = "sends every point to the same place"
            else:
                onto = "a line" if "onto a line" in first.text else "a line or into the same place"
                what = f"squashes all the points onto {onto}"
            said = f"layer {layer}{named} {what}"
            # the separator's line ("the classes are still tangled: ...") fits at 480p
            return said if len(TANGLED) + len(said) <= SUB_CHARS else f"layer {layer} {what}"
        same = [f for f in found if f.layer == first.layer]
        count = sum(f.count for f in same)
        if count == 1 and first.unit is not None:
            verb = "outputs 0 for every point" if kind == "dead-unit" else "is flat for most points"
            return f"unit {first.unit + 1} of layer {layer} {one}: it {verb}"
        return f"{count} units of layer {layer} {many}: they {what}"
    return None


#: A share within this of 1 (or 0) is all (or none): float noise, not a missed point.
_WHOLE = 1e-6


def _shown(share: float) -> int:
    """``share`` as the whole percent the video shows: rounded, but never 100 unless it
    is all of them, never 0 unless it is none (99.6 % of the points right is not all).

    >>> _shown(0.996), _shown(1.0), _shown(0.8975), _shown(0.003), _shown(0.0)
    (99, 100, 90, 1, 0)
    """
    shown = round(share * 100)
    if shown >= 100 and share < 1 - _WHOLE:
        return 99
    if shown <= 0 and share > _WHOLE:
        return 1
    return int(shown)


def _at_least(share: float, percent: int) -> bool:
    """Whether ``share`` is at least ``percent`` as the video shows it (a whole percent):
    the words must not call "90 %" tangled, nor 99.6 % all.

    >>> _at_least(0.8975, 90), _at_least(0.894, 90), _at_least(0.996, 100)
    (True, False, False)
    """
    return _shown(share) >= percent


def _pct(share: float) -> str:
    """``"89 %"``: see :func:`_shown`.

    >>> _pct(0.996), _pct(1.0)
    ('99 %', '100 %')
    """
    return f"{_shown(share)} %"


def _all(share: float) -> bool:
    """Whether ``share`` is every one of them (a line gets *all* the points right)."""
    return share >= 1 - _WHOLE


def line_question(n_classes: int = 2) -> Line:
    """Before the logistic-regression boundary is drawn: one line for two classes,
    straight boundaries between more.

    >>> line_question(3).caption
    'Can straight lines separate the 3 classes?'
    """
    if n_classes > 2:
        return Line(
            f"Can straight lines separate the {n_classes} classes?",
            "logistic regression: the best straight boundaries through the input plane",
            narration=f"Can straight lines separate the {n_classes} classes? Logistic "
            "regression finds the best ones.",
        )
    return Line(
        "Can a straight line separate the classes?",
        "logistic regression: the best single line through the input plane",
        narration="Can a single straight line separate the classes? Logistic regression "
        "finds the best one.",
    )


#: The best straight boundary's accuracy from which the data counts as nearly separable.
NEARLY_SEPARABLE = 0.98


def line_verdict(accuracy: float, n_classes: int = 2) -> Line:
    """How well the best straight boundary does (:func:`nnmodel.baseline.fit_line`).

    >>> line_verdict(0.51).sub
    'the data is not linearly separable: the network must reshape the space first'
    >>> line_verdict(0.99, 3).caption, line_verdict(0.99, 3).sub
    ('Straight lines get 99 % right', 'the data is nearly linearly separable as it is')
    >>> line_verdict(0.996).sub, line_verdict(1.0).sub
    ('the data is nearly linearly separable as it is', 'the data is linearly separable as it is')
    """
    what = "Straight lines get" if n_classes > 2 else "A line gets"
    if _at_least(accuracy, round(NEARLY_SEPARABLE * 100)):
        nearly = "" if _all(accuracy) else "nearly "
        return Line(
            f"{what} {_pct(accuracy)} right",
            f"the data is {nearly}linearly separable as it is",
            narration=f"{what} {_pct(accuracy)} of the points right already: the data is "
            f"{nearly}separable as it is, so the network has little to untangle.",
        )
    return Line(
        f"{what} {_pct(accuracy)} right",
        "the data is not linearly separable: the network must reshape the space first",
        narration=f"{what} only {_pct(accuracy)} of the points right: the data is not linearly "
        "separable, so the network must reshape the space first.",
    )


def one_unit(n: int, on_a_line: bool = False) -> Line:
    """A hidden layer of a single unit (``on_a_line``: its input is one already).

    >>> one_unit(2, on_a_line=True).sub
    'the points stay on one line: it can only stretch, shift and bend it'
    """
    if on_a_line:
        return Line(
            f"Layer {n} has a single unit",
            "the points stay on one line: it can only stretch, shift and bend it",
        )
    return Line(
        f"Layer {n} has a single unit",
        "every point is squeezed onto one line: classes that overlap here can never be "
        "separated again",
    )


def dims_story(d_in: int, d_out: int) -> str:
    """A clause about a change of dimension.

    >>> dims_story(2, 3), dims_story(3, 2), dims_story(2, 2)
    ('; 2-D → 3-D lifts the points into space', '; 3-D → 2-D flattens them', '')
    """
    if d_out > d_in:
        return f"; {d_in}-D → {d_out}-D lifts the points into space"
    if d_out < d_in:
        return f"; {d_in}-D → {d_out}-D flattens them"
    return ""


def layer_step(
    kind: str,
    n: int,
    *,
    d_in: int,
    d_out: int,
    activation: str,
    projected: bool = False,
    explained: float | None = None,
    collapsed: bool = False,
    facts: LinearFacts | ShiftFacts | ActivationFacts | None = None,
    n_classes: int = 2,
    still: bool = False,
    to_a_point: bool = False,
) -> Line:
    """The words of one move of hidden layer ``n`` (1-based).

    ``kind`` is ``"linear"``, ``"bias"``, ``"affine"`` (both at once), ``"morph"`` (into or
    out of a projected view) or ``"activation"``; ``collapsed`` says the activation left
    the points nearly on one line (``to_a_point``: in nearly one place, what
    :func:`nnmodel.health.diagnose` calls "the same place"; ``still``: as the layer before
    left them, so the words do not tell it as news). ``facts``
    (:mod:`scenes.narration.measure`) are the move's numbers: with them the words say how
    far this W turns and stretches, how far this b shifts, how much this activation
    flattens (said with a collapse too: it may be why the points collapse).

    >>> from scenes.narration.measure import linear_facts
    >>> layer_step("linear", 1, d_in=2, d_out=2, activation="tanh",
    ...            facts=linear_facts([[0.0, -2.3], [0.4, 0.0]])).sub
    'W turns the plane 90°, stretches it 2.3× one way and squeezes it to 0.4× the other'
    >>> from scenes.narration.measure import ShiftFacts
    >>> layer_step("bias", 1, d_in=2, d_out=2, activation="relu", facts=ShiftFacts(0.001, "")).sub
    'b is nearly 0: the bias barely moves the points'
    >>> from scenes.narration.measure import ActivationFacts
    >>> step = layer_step("activation", 1, d_in=2, d_out=3, activation="leaky_relu",
    ...                   facts=ActivationFacts("leaky_relu", 0.0, 0.89, 1.0))
    >>> step.caption
    'Layer 1 · leaky ReLU'
    >>> step.sub
    'shrinks negatives 100×: space nearly folds · a plane could split 100 % of all points'
    >>> step.narration.split(". ")[1]
    'After this layer, a plane could separate 100 % of the points, up from 89 % before it.'
    >>> dot = layer_step("activation", 1, d_in=2, d_out=2, activation="sigmoid",
    ...                  facts=ActivationFacts("sigmoid", 1.0, 0.89, 0.5),
    ...                  collapsed=True, to_a_point=True)
    >>> dot.sub
    'squashes into (0, 1): 100 % saturate; every point lands in nearly the same place'
    >>> print(textwrap.fill(dot.narration, 88))
    Then the sigmoid squashes every coordinate into the range from zero to one; 100 % of the
    coordinates saturate. Every point lands in nearly the same place, so close together that
    later layers can hardly tell them apart. After this layer, a line could separate 50 % of
    the points, down from 89 % before it.
    """
    shape = f"{d_out}×{d_in}"
    if kind == "affine":
        return Line(
            f"Layer {n} · W·x + b", f"a {shape} linear map, then a shift" + dims_story(d_in, d_out)
        )
    if kind == "linear":
        sub = (
            _linear_words(facts)
            if isinstance(facts, LinearFacts)
            else f"W is {shape}: it rotates, stretches and shears the space"
            + dims_story(d_in, d_out)
        )
        said = (
            f"Layer {n} begins with its weight matrix, W. It "
            + _linear_words(facts).removeprefix("W ").removeprefix("(3×3) ")
            + "."
            if isinstance(facts, LinearFacts)
            else ""
        )
        return Line(f"Layer {n} · linear map W·x", sub, narration=said)
    if kind == "bias":
        said = ""
        if isinstance(facts, ShiftFacts):
            where = f", {facts.direction}" if facts.direction else ""
            sub = (
                "b is nearly 0: the bias barely moves the points"
                if facts.length < BARELY
                else f"the bias b moves every point the same way: by {facts.length:.2f}{where}"
            )
            said = (
                "Then the bias, b, barely moves the points."
                if facts.length < BARELY
                else f"Then the bias, b, moves every point the same way, by {facts.length:.2f}"
                + (f", {facts.direction}." if facts.direction else ".")
            )
        else:
            sub = "the bias shifts every point by the same vector"
        return Line(f"Layer {n} · + b", sub, narration=said)
    if kind == "morph":
        if projected:
            kept = f" (keeps {_pct(explained)} of the variance)" if explained else ""
            note = f"{d_out} units: shown through a fixed 3-D PCA projection{kept}"
        else:
            note = (
                f"from a projected view into the exact {d_out}-D space: "
                "the points morph to their true positions W·h + b"
            )
        return Line(f"Layer {n} · W·x + b ({shape})", note)
    if kind != "activation":
        raise ValueError(f"unknown step kind {kind!r}")
    story = activations.get(activation).story
    if d_out == 1:  # no grid to bend, no axes to fold onto: what it does to each number
        story = story.split(":")[0]
    name = act_name(activation)
    said = f"Then {ACTING.get(activation, story.split(':')[0])}"
    how = {
        "relu": "are set to 0",
        "tanh": "saturate",
        "sigmoid": "saturate",
        "leaky_relu": "are shrunk a hundredfold",
    }.get(activation, "land where it is nearly flat")
    share = ""  # "38 % of the coordinates saturate": this layer's flattening, measured
    if isinstance(facts, ActivationFacts) and facts.flat >= 0.01:
        share = f"{_pct(facts.flat)} of the coordinates {how}"
        said += f"; {share}"
    clause = ""  # a collapse: the points on one spot (health: "the same place") or one line
    if collapsed and to_a_point:
        clause = (
            "the points stay in nearly the same place"
            if still
            else "every point lands in nearly the same place"
        )
        said += (
            ". The points stay in nearly the same place"
            if still
            else ". Every point lands in nearly the same place, so close together that later "
            "layers can hardly tell them apart"
        )
    elif collapsed:
        now = "still" if still else "now"
        clause = f"the points {now} lie almost on a single line"
        said += f". The points {now} lie almost on a single line"
    said += "."
    head = story.split(":")[0]
    if clause:  # the collapse always; the flattening too, and what the activation does, if room
        options = [f"{head}: {share}; {clause}"] if share else []
        options += [f"{head}: {clause}", clause]
    else:
        options = [f"{head}: {share}" if share else story]
    fitting = [o for option in options for o in _shorter(option) if len(o) <= SUB_CHARS]
    story = fitting[0] if fitting else options[-1]
    if isinstance(facts, ActivationFacts) and facts.line_after is not None:
        # No flat cut is drawn here: the words say one *could* split the points, and which
        # points (all of them, as the separator's score counts: not the corner's train acc.)
        cut = _cut(d_out, n_classes)
        said += " " + _separates(cut, facts.line_after, facts.line_before)
        short = f"{cut} could split {_pct(facts.line_after)} of all points"
        for head in _shorter(story):
            if len(head) + 3 + len(short) <= SUB_CHARS:
                story = f"{head} · {short}"
                break
    return Line(f"Layer {n} · {name}", story, narration=said)


def _shorter(sub: str) -> tuple[str, str, str]:
    """``sub`` and the same numbers in fewer words, then fewer still.

    >>> _shorter("squashes every coordinate into (0, 1): 40 % of the coordinates saturate")[1:]
    ('squashes every coordinate into (0, 1): 40 % saturate', 'squashes into (0, 1): 40 % saturate')
    """
    shorter = sub.replace(" of the coordinates ", " ")
    compact = (
        shorter.replace("every coordinate ", "")
        .replace("negative coordinates", "negatives")
        .replace(" are shrunk a hundredfold", " are shrunk")
    )
    return sub, shorter, compact


#: The longest subcaption a step adds a clause to (what fits the frame at 480p).
SUB_CHARS = 86
#: A bias shift shorter than this (in the space's units) barely moves the points: its
#: length would read "0.00" or "0.04", a move nobody sees.
BARELY = 0.05

#: Activations as they are written ("leaky ReLU", not "leaky_relu").
ACT_NAMES = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "elu": "ELU"}


def act_name(activation: str) -> str:
    """An activation's name as it is written in a caption or a title.

    >>> act_name("leaky_relu"), act_name("relu"), act_name("tanh")
    ('leaky ReLU', 'ReLU', 'tanh')
    """
    return ACT_NAMES.get(activation, activation.replace("_", " "))


#: What each activation does, as a narrator says it ("Then tanh squashes ...").
ACTING = {
    "tanh": "tanh squashes every coordinate into the range from minus one to one",
    "sigmoid": "the sigmoid squashes every coordinate into the range from zero to one",
    "relu": "ReLU sets every negative coordinate to zero, folding the space onto the axes",
    "leaky_relu": "leaky ReLU shrinks every negative coordinate a hundred times: the space "
    "nearly folds",
    "elu": "ELU keeps positive coordinates and smoothly squeezes negative ones towards minus one",
    "softplus": "softplus squeezes negative coordinates towards zero, like a smooth ReLU",
    "linear": "nothing bends: this layer is purely linear",
}


def _cut(dims: int, n_classes: int = 2) -> str:
    """The flat boundary of a ``dims``-D space between ``n_classes`` classes, as words.

    >>> _cut(2), _cut(3), _cut(8), _cut(3, n_classes=3)
    ('a line', 'a plane', 'a flat cut', 'flat cuts')
    """
    if n_classes > 2:
        return "flat cuts"
    return {1: "a threshold", 2: "a line", 3: "a plane"}.get(dims, "a flat cut")


def _separates(cut: str, after: float, before: float | None) -> str:
    """How well a flat boundary *could* separate the classes after a layer, against before
    it: on all the points (the caption says so; the voice follows the score's own "the
    points"). No cut is drawn at that moment: the voice says what one could do, as the
    subtitle ("a plane could split ...") does.

    >>> _separates("a plane", 1.0, 0.895)
    'After this layer, a plane could separate 100 % of the points, up from 90 % before it.'
    >>> _separates("flat cuts", 0.9, 0.996)
    'After this layer, flat cuts could separate 90 % of the points, down from 99 % before it.'
    >>> _separates("a line", 0.5, 0.5)
    'After this layer, a line could separate 50 % of the points, as before it.'
    """
    said = f"After this layer, {cut} could separate {_pct(after)} of the points"
    if before is None or _pct(after) == _pct(before):
        return said + ("." if before is None else ", as before it.")
    return said + f", {'up' if after > before else 'down'} from {_pct(before)} before it."


def _times(s: float) -> str:
    """``"stretches it 2.3×"``, ``"squeezes it to 0.4×"`` or ``"keeps its size"``."""
    if s >= 1.05:
        return f"stretches it {s:.1f}×"
    if s <= 0.95:
        return f"squeezes it to {s:.2g}×"
    return "keeps its size"


#: A direction W squeezes below this share of its largest stretch counts as lost.
LOST = 0.01
#: A W whose largest stretch is under this is nearly 0: it sends every point near 0.
NEARLY_ZERO = 1e-3


def _linear_words(f: LinearFacts) -> str:
    """What W does, in numbers (see :func:`scenes.narration.measure.linear_facts`).

    >>> from scenes.narration.measure import linear_facts
    >>> _linear_words(linear_facts([[4.1, 0, 0], [0, 1, 0], [0, 0, 0.21]]))
    'W (3×3) stretches the space 4.1× one way and squeezes it to 0.21× another'
    >>> _linear_words(linear_facts([[4.1, 0], [0, 0.21]]))
    'W stretches the plane 4.1× one way and squeezes it to 0.21× the other'
    """
    s = f.stretches
    if s[0] < 1e-6:
        return "W sends every point to 0: all its weights are 0"
    if s[0] < NEARLY_ZERO:
        return f"W is nearly 0 (it scales by {s[0]:.1g}× at most): every point lands near 0"
    if f.d_in == f.d_out == 1:
        moved = _times(s[0]).replace(" it", " the line", 1)
        return f"W {moved}" + (" and flips it end to end" if f.flips else "")
    if f.d_out == 1:
        return f"W projects every point onto one line, scaled {s[0]:.2g}×"
    into = "the plane" if f.d_out == 2 else f"{f.d_out}-D space"
    if f.d_in == 1:
        return f"W maps the line into {into}, scaled {s[0]:.2g}×: the points still lie on one line"
    kept = sum(v >= LOST * s[0] for v in s)  # the directions W keeps (its rank, near enough)
    space = "the plane" if f.d_in == 2 else f"{f.d_in}-D space"
    if kept == 1:
        return f"W flattens {space} onto a line, scaled {s[0]:.2g}×: every other direction is lost"
    if kept == 2 and f.d_in == f.d_out == 3:
        return (
            f"W flattens 3-D space onto a plane, scaled {s[0]:.2g}× and {s[1]:.2g}×: "
            "the third direction is lost"
        )
    if f.d_out < f.d_in:
        return (
            f"W drops a dimension: {f.d_in}-D flattened onto a plane, "
            f"scaled {s[0]:.2g}× and {s[1]:.2g}× along its axes"
        )
    if f.d_out > f.d_in:
        return (
            f"W lifts the plane into {f.d_out}-D space, scaled {s[0]:.2g}× and {s[1]:.2g}× "
            "along its two directions"
        )
    parts = []
    if f.turn is not None and abs(f.turn) >= 3:
        parts.append(f"turns the plane {abs(f.turn):.0f}°")
    first, second = _times(s[0]), _times(s[-1])
    if first == second == "keeps its size":
        parts.append("keeps its size")
    else:
        space = "the space" if f.d_in == 3 else "the plane"
        if not parts:  # "it" is the plane (or the 3-D space), named first
            first = first.replace(" it", f" {space}", 1).replace(" its", f" {space}'s", 1)
        verb = first.split(" ")[0]
        if second.startswith(verb + " it "):  # "squeezes it to 0.88× … and to 0.025× …"
            second = second[len(verb + " it ") :]
        other = "another" if f.d_in == 3 else "the other"  # 3-D: a third direction too
        parts.append(f"{first} one way and {second} {other}")
    text = "W " + ", ".join(parts)
    if f.turn is None and f.d_in == 3:
        text = text.replace("W ", "W (3×3) ", 1)
    if f.flips:
        text += ", and mirrors it"
    return text


def separator_head(
    n_classes: int,
    dims: int,
    accuracy: float,
    has_hidden: bool,
    why: str | None = None,
    bends: bool = True,
) -> Line:
    """The output layer as a boundary in the last space, and whether it suffices.

    ``why`` (from :func:`diagnosis`) names a cause in the data; without one a poor result
    is put down to the network's size, or, with no hidden layer (or only linear ones: not
    ``bends``), to its straight cut.
    "Linearly separable" is said only when the separator gets every point right.

    >>> separator_head(2, 2, 0.996, True).sub
    'nearly linearly separable here: the last layer is plain logistic regression'
    >>> separator_head(2, 2, 0.996, True).narration.split(". ")[1]
    'In the last hidden space the classes are nearly linearly separable'
    >>> separator_head(2, 2, 0.89, False).sub
    'the classes are still tangled: with no hidden layer, nothing bends the space first'
    >>> separator_head(2, 3, 0.56, True, bends=False).sub
    'the classes are still tangled: its layers are all linear, so nothing bends the space'
    """
    space = "last hidden space" if has_hidden else "input plane"
    if n_classes > 2:
        head = f"The output layer cuts this space into {n_classes} flat regions"
    else:
        head = "The output layer is " + {1: "a threshold", 3: "a flat plane"}.get(
            dims, "a straight line"
        )
    if _all(accuracy):
        verdict = f"in the {space} the classes are linearly separable"
    elif _at_least(accuracy, 90):
        verdict = f"in the {space} the classes are nearly linearly separable"
    elif why:
        verdict = f"{TANGLED}{why}"
    elif not has_hidden:
        verdict = (
            "the classes are still tangled: with no hidden layer, nothing bends the space first"
        )
    elif not bends:
        verdict = (
            "the classes are still tangled: its layers are all linear, so nothing bends the space"
        )
    else:
        verdict = f"the classes are still tangled: {NO_CAUSE}"
    said = f"{head}. {verdict[:1].upper()}{verdict[1:]}."
    if _at_least(accuracy, 90):
        # on screen the picture is the space: "here" says it in a line that fits at 480p
        nearly = "" if _all(accuracy) else "nearly "
        verdict = f"{nearly}linearly separable here: the last layer is plain logistic regression"
        said += " The last layer is simply logistic regression on these points."
    return Line(head, verdict, narration=said)


def separator_score(
    accuracy: float,
    n_points: int,
    epoch: int,
    report: DataReport | None = None,
    n_classes: int | None = None,
) -> Line:
    """The share of points on their class's side (beside the majority baseline, when the
    classes are unbalanced or the network does no better than it; beside guessing, when
    the ``n_classes`` classes are balanced and it does no better than that).

    >>> from nnmodel.datacheck import DataReport
    >>> even = DataReport("1", 0.51, (1.0, 1.0), ("x", "y"), False, ())
    >>> separator_score(0.5, 400, 50, even, 2).sub
    'all 400 points, training and held-out, at epoch 50; guessing scores 50 %'
    """
    sub = f"all {n_points} points, training and held-out, at epoch {epoch}"
    said = f"{_pct(accuracy)} of all {n_points} points land on their class's side."
    if (
        report is not None
        and n_classes
        and balanced(report, n_classes)
        and report.no_better(accuracy)
    ):
        sub += f"; guessing scores {_pct(1 / n_classes)}"
        said += f" That is no better than guessing, which scores {_pct(1 / n_classes)}."
    elif report is not None and (report.majority_acc >= 0.6 or report.no_better(accuracy)):
        sub += f"; always answering '{report.majority_class}' scores {_pct(report.majority_acc)}"
        said += (
            f" Always answering '{report.majority_class}' would score {_pct(report.majority_acc)}."
        )
    return Line(f"{_pct(accuracy)} of the points land on their class's side", sub, narration=said)


def rewind(n_classes: int = 2, dims: int = 2, shape: str = "curved") -> Line:
    """Back through every layer to the input plane: the output layer's flat boundary in
    the last hidden space (``dims``-D) becomes the input's boundary, which is ``shape``:
    ``"curved"``, ``"bent"`` (made of straight pieces: ReLU-like layers), ``"straight"``
    (the layers did not bend it) or ``"none"`` (one class everywhere).

    >>> rewind(2, 3).sub
    'rewinding every layer: the flat plane becomes a curved boundary'
    >>> rewind(4, 3).sub
    'rewinding every layer: the flat cuts become curved boundaries'
    >>> rewind(2, 2, "straight").sub
    'rewinding every layer: the straight line comes back a straight line'
    >>> rewind(2, 3, "bent").sub
    'rewinding every layer: the flat plane comes back bent, made of straight pieces'
    """
    if shape == "none":
        change = "no boundary is left in the plane: one class everywhere"
    elif n_classes > 2:
        verb = {
            "straight": "stay straight",
            "bent": "come back bent, made of straight pieces",
        }.get(shape, "become curved boundaries")
        change = f"the flat cuts {verb}"
    else:
        cut = {1: "the threshold", 3: "the flat plane"}.get(dims, "the straight line")
        verb = {
            "straight": "comes back a straight line",
            "bent": "comes back bent, made of straight pieces",
        }.get(shape, "becomes a curved boundary")
        change = f"{cut} {verb}"
    return Line(
        "Back to the input plane",
        f"rewinding every layer: {change}",
        narration=f"Now rewind every layer, back to the input plane: {change}.",
    )


def regions(unsure: bool = False) -> Line:
    """The decision regions over the input plane; ``unsure``: the network is unsure almost
    everywhere (the colours stay faint), which the words say instead of regions.

    >>> regions(unsure=True).caption
    'The network is unsure almost everywhere'
    """
    if unsure:
        return Line(
            "The network is unsure almost everywhere",
            "the colours stay faint: no class gets much more than an even chance",
            narration="Colour shows the class the network predicts, but here it stays faint "
            "almost everywhere: the network is unsure of nearly every point in the plane.",
        )
    return Line(
        "The network's decision regions",
        "colour shows the predicted class; it fades where the network is unsure",
        narration="Colour shows the class the network predicts everywhere in the plane; "
        "it fades where the network is unsure.",
    )


def title_card(
    dataset: str,
    widths: Sequence[int],
    activations: Sequence[str],
    epoch: int | None = None,
    epochs: int | None = None,
) -> Line:
    """The explainer's title card (caption = title, sub = the network); a network shown at
    an ``epoch`` before the last of its ``epochs`` says so.

    >>> title_card("moons", [2, 6, 1], ["leaky_relu"], 5, 1000).sub
    'moons · a 2 → 6 → 1 network · leaky ReLU · at epoch 5 of 1,000'
    """
    arch = " → ".join(str(w) for w in widths)
    names = sorted({act_name(a) for a in activations})
    acts = ", ".join(names or ["no hidden layer"])
    hidden = list(widths[1:-1])
    kinds = " and ".join(names)
    units = f"{kinds} units" if kinds else "units"
    if not hidden:
        layers = "no hidden layer at all"
    elif len(hidden) == 1:
        layers = f"one hidden layer of {hidden[0]} {units}"
    elif len(set(hidden)) == 1:
        layers = f"{len(hidden)} hidden layers of {hidden[0]} {units} each"
    else:
        sizes = ", ".join(str(h) for h in hidden[:-1]) + f" and {hidden[-1]}"
        layers = f"{len(hidden)} hidden layers of {sizes} {units}"
    early = epoch is not None and epochs is not None and epoch < epochs
    when = f"at epoch {epoch:,} of {epochs:,}" if early else ""
    said = (
        f"How does a neural network untangle data? Watch one with {layers}, trained on {dataset}"
        + (f", as it is {when}." if early else ".")
    )
    return Line(
        "How a neural network untangles data",
        f"{dataset} · a {arch} network · {acts}" + (f" · {when}" if early else ""),
        narration=said,
    )


def end_card(
    hidden_layers: int,
    epoch: int,
    epochs: int,
    accuracy: float,
    line_accuracy: float | None = None,
    why: str | None = None,
    *,
    n_classes: int = 2,
    dims: int = 2,
    bends: bool = True,
) -> tuple[Line, str]:
    """The explainer's end card: the moral (two lines) and the facts line, for the network
    as shown (at ``epoch`` of the ``epochs`` trained), whose separator puts ``accuracy`` of
    all the points on their side, where the best straight line gets ``line_accuracy``
    (said before, by the line's verdict: not repeated here). ``why`` says why the classes
    stay tangled (:func:`data_cause`, :func:`network_why`, :func:`chance`); ``n_classes``
    and the last hidden space's ``dims`` name the flat cut that separates them there;
    ``bends`` is False when every hidden layer is linear (it draws one straight cut too).

    >>> end_card(2, 1000, 1000, 1.0, 0.86)[0].sub
    'together they make the classes separable by a line.'
    >>> end_card(2, 1000, 1000, 0.996, 0.86, dims=3)[0].sub
    'together they make the classes nearly separable by a plane.'
    >>> end_card(2, 1000, 1000, 0.99, 0.99)[0].caption
    'A straight line already got as far:'
    >>> end_card(0, 1000, 1000, 0.89, 0.89)[0].caption
    'With no hidden layer, the network can only draw a straight line:'
    >>> end_card(1, 1000, 1000, 0.56, 0.56, bends=False)[0].caption
    'With only linear layers, the network can only draw a straight line:'
    >>> moral, facts = end_card(2, 5, 1000, 0.5, 0.86)
    >>> moral.sub
    'at epoch 5 of 1,000, it is still learning.'
    >>> facts
    '2 hidden layers · at epoch 5 of 1,000 · 50 % of the points right'
    """
    good = _at_least(accuracy, 90)
    lines = "straight cuts" if n_classes > 2 else "a straight line"
    straight = lines[:1].upper() + lines[1:]
    if not hidden_layers:  # logistic regression: one straight cut, whatever the training
        if _all(accuracy):
            moral = Line(
                f"With no hidden layer, the network draws {lines}:",
                "here that is enough: every point is on its class's side.",
            )
        elif good:
            moral = Line(
                f"With no hidden layer, the network can only draw {lines}:",
                f"it gets {_pct(accuracy)} right; a hidden layer could bend the space.",
            )
        else:
            moral = Line(
                f"With no hidden layer, the network can only draw {lines}:",
                f"{why}." if why else "it cannot bend the space to untangle the classes.",
            )
    elif not good and epoch < epochs:
        moral = Line(
            "This network has not untangled the classes yet:",
            f"at epoch {epoch:,} of {epochs:,}, it is still learning.",
        )
    elif not good and not bends:
        moral = Line(
            f"With only linear layers, the network can only draw {lines}:",
            f"{why}." if why else "nothing bends the space to untangle the classes.",
        )
    elif not good:
        moral = Line("This network could not untangle the classes:", f"{why or NO_CAUSE}.")
    elif line_accuracy is not None and not _at_least(accuracy - line_accuracy, 2):
        # the line's verdict said its score: say what it means, not the number again
        if _all(line_accuracy):
            moral = Line(
                f"{straight} already got every point right:", "this data needed no bending."
            )
        else:
            further = _shown(accuracy) > _shown(line_accuracy)
            moral = Line(
                f"{straight} already got {'nearly ' if further else ''}as far:",
                f"bending the space got this network {'only a little' if further else 'no'} "
                f"further ({_pct(accuracy)}).",
            )
    else:
        nearly = "" if _all(accuracy) else "nearly "
        moral = Line(
            "Each layer bends the space a little;",
            f"together they make the classes {nearly}separable by {_cut(dims, n_classes)}.",
        )
    layers = (
        f"{hidden_layers} hidden layer{'s' * (hidden_layers != 1)}"
        if hidden_layers
        else "no hidden layer"
    )
    when = f"trained {epochs:,} epochs" if epoch >= epochs else f"at epoch {epoch:,} of {epochs:,}"
    facts = f"{layers} · {when} · {_pct(accuracy)} of the points right"
    return moral, facts
