"""The comparison's words: captions and cell badges as pure functions of the runs' numbers.

The plan (:mod:`scenes.compare.plan`) calls these; captions, subtitles and a voice read the
same :class:`~scenes.narration.text.Line`. A cell's badges are a few words
(:func:`badge`); the caption of the moment something happens says it in full
(:func:`events`).

>>> badge("stopped-early", epoch=41, loss=0.2627).text
'stopped at epoch 41: loss 0.263 reached'
>>> events([Event("ReLU · lr 0.1", "stopped-early", 41, loss=0.2627, target=0.263)]).caption
'ReLU · lr 0.1 stops at epoch 41'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from scenes.narration.text import Line

__all__ = [
    "DEAD",
    "DIVERGED",
    "ENDED",
    "NO_PROGRESS",
    "OPTION_NAMES",
    "STOPPED",
    "BadgeText",
    "Answer",
    "Axis",
    "Event",
    "Result",
    "Verdict",
    "answer",
    "badge",
    "clock_start",
    "collapse_sentence",
    "data_name",
    "events",
    "fmt_loss",
    "intro",
    "on_its_own",
    "pct",
    "results",
    "shown_alone",
    "stop_rule",
]

# The kinds of nnmodel.health's findings the words know (others get generic words), plus
# "ended": a run that did all its epochs while the clock goes on for longer runs.
STOPPED = "stopped-early"
NO_PROGRESS = "no-progress"
DEAD = "dead-unit"
SATURATED = "saturated-unit"
COLLAPSED = "collapsed-layer"
DIVERGED = "diverged"
ENDED = "ended"

#: What a varied option is called in a sentence.
OPTION_NAMES = {
    "standardize": "input scaling",
    "samples": "number of points",
    "noise": "noise",
    "arms": "number of arms",
    "hidden": "hidden layers",
    "activation": "activation",
    "optimizer": "optimiser",
    "lr": "learning rate",
    "epochs": "number of epochs",
    "batch_size": "batch size",
    "weight_decay": "weight decay",
    "target_loss": "target loss",
    "test_fraction": "held-out share",
    "snapshots": "number of snapshots",
    "seed": "seed",
}

#: What a finding means, for a caption naming several runs that have it (each run's own
#: sentence says where: layers and units differ from run to run).
MEANING = {
    DEAD: "a dead ReLU outputs 0 for every point, so it can no longer learn",
    SATURATED: "a saturated unit's slope is almost 0, so it barely learns",
    COLLAPSED: "a collapsed layer gives all points one output, or keeps one number each",
    NO_PROGRESS: "the loss barely moved: the learning rate may be too small",
    DIVERGED: "the loss blew up: a lower learning rate may help",
}

_MAX_NAMED = 3  # runs named in one caption; more are "and N more"
_SHORTHAND = re.compile(r"[×/<>=→]|\b\d+-\d+(?:-\d+)*\b")  # symbols, "2-2-1" nets
_MAX_SUB = 88  # characters of a subcaption that still reads at full size


def _names(labels: Sequence[str]) -> str:
    """``"A, B and C"``, or the first few and how many more.

    >>> _names(["a"]), _names(["a", "b"]), _names(["a", "b", "c", "d", "e"])
    ('a', 'a and b', 'a, b, c and 2 more')
    """
    items = list(labels)
    if len(items) > _MAX_NAMED:
        items = [*items[:_MAX_NAMED], f"{len(labels) - _MAX_NAMED} more"]
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def units_sentence(
    kind: str,
    places: Sequence[tuple[int, int | None, int]],
    *,
    share: float | None = None,
    activation: str = "",
) -> str:
    """One sentence for several units with the same finding (dead or saturated).

    ``places`` are ``(layer, unit, count)``, 0-based: a unit, or ``unit`` None for
    ``count`` units of a layer too wide to name them; ``share`` the smallest share of the
    points a saturated unit is flat on; ``activation`` the units' activation, if one.

    >>> print(units_sentence("dead-unit", [(1, 0, 1), (1, 2, 1)]))  # doctest: +NORMALIZE_WHITESPACE
    Units 1 and 3 of layer 2 are dead ReLUs: they output 0 for every point, so they can no
    longer learn.
    >>> units_sentence("dead-unit", [(0, 1, 1), (1, 0, 1), (2, None, 12)]).split(":")[0]
    'Unit 2 of layer 1, unit 1 of layer 2 and 12 units of layer 3 are dead ReLUs'
    >>> print(units_sentence("saturated-unit", [(0, 0, 1), (0, 1, 1)], share=0.934,
    ...                      activation="tanh"))  # doctest: +NORMALIZE_WHITESPACE
    Units 1 and 2 of layer 1 (tanh) are saturated on at least 93 % of the points: their
    slopes are almost 0, so they barely learn.
    """
    layers: dict[int, list[int]] = {}
    wide: list[str] = []
    for layer, unit, count in places:
        if unit is None:
            wide.append(f"{count} units of layer {layer + 1}")
        else:
            layers.setdefault(layer, []).append(unit)
    named = []
    for layer in sorted(layers):
        units = sorted(set(layers[layer]))
        noun = "unit" if len(units) == 1 else "units"
        named.append(f"{noun} {_names([str(u + 1) for u in units])} of layer {layer + 1}")
    who = _names([*named, *wide])
    who = who[:1].upper() + who[1:]
    if kind == SATURATED:
        where = (
            "every point"
            if share is None or share >= 1.0
            else f"at least {math.floor(share * 100 + 1e-9)} % of the points"
        )
        act = f" ({activation})" if activation else ""
        return (
            f"{who}{act} are saturated on {where}: their slopes are almost 0, so they barely learn."
        )
    return f"{who} are dead ReLUs: they output 0 for every point, so they can no longer learn."


def fmt_loss(value: float) -> str:
    """A loss for the screen: 3 decimals from 0.01 to 10, 2 significant digits below, fewer
    decimals above.

    >>> fmt_loss(0.26271), fmt_loss(0.000357), fmt_loss(12.345), fmt_loss(4321.0)
    ('0.263', '0.00036', '12.35', '4321')
    >>> fmt_loss(float("nan"))
    '-'
    """
    if not math.isfinite(value):
        return "-"
    if value < 0.01:
        return f"{value:.2g}"
    if value < 10:
        return f"{value:.3f}"
    if value < 100:
        return f"{value:.2f}"
    return f"{value:.0f}"


#: Characters of a caption (bold, larger) that still reads at full size.
_MAX_CAPTION = 56


def _sentence(text: str) -> str:
    """``text`` as a sentence of its own: a capital first, a stop at the end.

    >>> _sentence("width before depth"), _sentence("How wide must it be?")
    ('Width before depth.', 'How wide must it be?')
    """
    text = text.strip()
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text[-1] in ".?!" else text + "."


def data_name(dataset: str, from_file: bool = False) -> str:
    """The dataset in a sentence: ``the circles``, but a file by its name (``fish.csv``).

    >>> data_name("circles"), data_name("fish.csv", from_file=True)
    ('the circles', 'fish.csv')
    """
    return dataset if from_file else f"the {dataset}"


def stop_rule(epochs: int | None, target: float | None) -> str:
    """When every run stops, for a sentence: its epochs, or sooner at a target loss.

    >>> stop_rule(200, 0.263)
    'each run stops after 200 epochs, or as soon as its loss reaches 0.263'
    >>> stop_rule(None, 0.1), stop_rule(200, None)
    ('each run stops as soon as its loss reaches 0.1', '')
    """
    if target is None:
        return ""
    after = f"after {epochs:,} epochs, or " if epochs else ""
    return f"each run stops {after}as soon as its loss reaches {target:g}"


def intro(
    n_runs: int,
    dataset: str,
    varied: Sequence[str],
    description: str = "",
    *,
    from_file: bool = False,
    stop: str = "",
) -> Line:
    """The opening: how many runs, on what, what differs between them, and what the grid
    asks (its description).

    A short description in prose (a sweep's question) is the caption; one that fits a
    subcaption (prose or shorthand: the screen shows symbols) is the subcaption; a longer
    one (:func:`on_its_own`) is shown on its own, before the cells appear (the plan
    wraps it: :func:`scenes.compare.layout.description_lines`), and said first, while it
    is up. A voice never reads shorthand (a preset's "ReLU vs tanh × lr 0.1 / 0.01"): it
    would read its symbols, not what they mean. ``stop`` (:func:`stop_rule`) is said too.

    >>> intro(6, "sandwich", ["activation", "lr"]).sub
    '6 runs on the sandwich that differ only in the activation and the learning rate'
    >>> intro(3, "spiral", ["hidden", "epochs", "lr"]).sub.split(" only in ")[1]
    'the hidden layers, the number of epochs and the learning rate'
    >>> line = intro(9, "circles", ["hidden"], "How wide must the layer be for the circles?")
    >>> line.caption, line.narration.endswith(" How wide must the layer be for the circles?")
    ('How wide must the layer be for the circles?', True)
    >>> intro(2, "moons", ["lr"], "lr 0.1 / 0.01 on a 2-2-1 net").narration[-14:]
    'learning rate.'
    >>> intro(3, "fish.csv", ["activation"], from_file=True).sub
    '3 runs on fish.csv that differ only in the activation'
    >>> long = "layers of 2 units are too narrow for the spiral; layers of 8 and 2 are wide enough"
    >>> line = intro(3, "spiral", ["hidden"], long + ": width first")
    >>> line.sub
    '3 runs on the spiral that differ only in the hidden layers'
    >>> line.narration.startswith("Layers of 2 units"), line.narration.endswith("layers.")
    (True, True)
    """
    names = [f"the {OPTION_NAMES.get(v, v.replace('_', ' '))}" for v in varied]
    listed = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    differ = f"that differ only in {listed}" if names else "with the same options"
    data = data_name(dataset, from_file)
    shown = description.strip()
    prose = bool(shown) and not _SHORTHAND.search(shown)
    caption, sub = f"{n_runs} trainings, side by side", f"{n_runs} runs on {data} {differ}"
    if prose and len(shown) <= _MAX_CAPTION:
        caption = shown[:1].upper() + shown[1:]
    elif shown and len(shown) <= _MAX_SUB:
        sub = shown
    they = "they differ only in " + listed if names else "they all have the same options"
    said = f"{n_runs} networks train on {data} at the same time; {they}."
    if prose and on_its_own(shown):  # said while it is up, before the cells appear
        said = _sentence(shown) + " " + said
    elif prose:
        said += " " + _sentence(shown)
    if stop:
        said += " " + _sentence(stop)
    return Line(caption, sub, narration=said)


def on_its_own(description: str) -> bool:
    """Whether a comparison's description is too long for the intro's caption and
    subcaption, and so opens the video on its own (:func:`intro`).

    >>> on_its_own("How wide must the layer be for the circles?"), on_its_own("x " * 45)
    (False, True)
    """
    return len(description.strip()) > _MAX_SUB


def shown_alone(description: str) -> str:
    """A description as it is shown on its own (:func:`on_its_own`): prose starts with a
    capital, as a caption does; shorthand stays as written.

    >>> shown_alone(" two layers are too narrow "), shown_alone("lr 0.1 / 0.01")
    ('Two layers are too narrow', 'lr 0.1 / 0.01')
    """
    shown = description.strip()
    return shown if _SHORTHAND.search(shown) else shown[:1].upper() + shown[1:]


def clock_start(last_epoch: int, target: float | None = None) -> Line:
    """The clock starts: every run from epoch 0, on a log scale of epochs; and when runs
    stop early (``target``: the loss they stop at), that too.

    >>> clock_start(200).caption
    'Every run on one clock: epoch 0 to 200'
    >>> clock_start(200, 0.263).sub
    'a run stops once its loss reaches 0.263 · early epochs get as much time as late ones'
    """
    said_stop = (
        "" if target is None else f" A run stops early as soon as its loss reaches {target:g}."
    )
    sub = "time runs on a log scale of epochs: the first epochs get as much time as the last"
    if target is not None:
        sub = (
            f"a run stops once its loss reaches {target:g} · early epochs get as much time "
            "as late ones"
        )
    return Line(
        f"Every run on one clock: epoch 0 to {last_epoch:,}",
        sub,
        narration=f"Every run shares one clock, from epoch 0 to {last_epoch:,}.{said_stop} "
        "Time runs on a log scale of epochs, so the first epochs get as much time as the "
        "last ones.",
    )


@dataclass(frozen=True)
class BadgeText:
    """A cell's badge: one line, the same in shorter lines for narrow cells, and the
    fewest words for the narrowest (``short``; by default ``lines``)."""

    text: str
    lines: tuple[str, ...]
    short: tuple[str, ...] = ()

    @property
    def shortest(self) -> tuple[str, ...]:
        """``short``, or ``lines`` when there is no shorter form."""
        return self.short or self.lines


def badge(kind: str, *, epoch: int = 0, loss: float | None = None, count: int = 1) -> BadgeText:
    """The few words of a cell's badge for a finding of ``kind``.

    ``count`` is how many units share the finding (dead or saturated units); 0 for
    several whose number changes while the badge is up.

    >>> badge("dead-unit").text, badge("dead-unit", count=2).text, badge("dead-unit", count=0).text
    ('dead ReLU', '2 dead ReLUs', 'dead ReLUs')
    >>> badge("stopped-early", epoch=41, loss=0.2627).lines
    ('stopped at epoch 41', 'loss 0.263 reached')
    >>> badge("some-new-kind").text
    'some new kind'
    """
    if kind == STOPPED:
        head = f"stopped at epoch {epoch:,}"
        if loss is None:
            return BadgeText(head, (head,))
        tail = f"loss {fmt_loss(loss)} reached"
        # the narrowest cells say only when (the loss is on the line above the badge)
        return BadgeText(f"{head}: {tail}", (head, tail), ("stopped at", f"epoch {epoch:,}"))
    if kind == ENDED:
        text = f"done: {epoch:,} epochs"
        return BadgeText(text, (text,))
    if kind == DIVERGED:
        text = f"diverged at epoch {epoch:,}" if epoch else "diverged"
        return BadgeText(text, (text,))
    plural = "" if count == 1 else "s"
    many = "" if count <= 1 else f"{count} "
    words = {
        DEAD: f"{many}dead ReLU{plural}",
        SATURATED: f"{many}saturated unit{plural}",
        COLLAPSED: f"collapsed layer{plural}",
        NO_PROGRESS: "no progress",
    }
    text = words.get(kind, kind.replace("-", " ").replace("_", " "))
    return BadgeText(text, (text,))


@dataclass(frozen=True)
class Event:
    """Something that happens to one run on the clock (what a caption announces).

    Attributes
    ----------
    label : str
        The run's cell label.
    kind : str
        A finding kind of :mod:`nnmodel.health`, or ``"ended"``.
    epoch : int
        The run's epoch when it happens.
    sentence : str
        The finding's own sentence (``Finding.text``), if any.
    loss, target : float or None
        The loss reached and the target loss (for a run stopped early).
    count : int
        Units with the finding.
    """

    label: str
    kind: str
    epoch: int
    sentence: str = ""
    loss: float | None = None
    target: float | None = None
    count: int = 1


def collapse_sentence(layer: int, onto: str) -> str:
    """What a collapsed layer does, in words that need no picture of the layer (a
    comparison shows none): ``layer`` is 0-based, ``onto`` ``"point"`` or ``"line"``.

    >>> collapse_sentence(1, "point")
    'Layer 2 gives every point the same output: one answer for them all.'
    >>> collapse_sentence(2, "line")
    "Layer 3 keeps one number per point: later layers can't undo what it mixes."
    """
    if onto == "point":
        return f"Layer {layer + 1} gives every point the same output: one answer for them all."
    return f"Layer {layer + 1} keeps one number per point: later layers can't undo what it mixes."


def _screen(sentence: str) -> str:
    """A sentence as a subcaption is written: lower case first (unless its first word is a
    name such as "ReLU"), no full stop.

    >>> _screen("Layer 2 gives every point the same output."), _screen("ReLU dies.")
    ('layer 2 gives every point the same output', 'ReLU dies')
    """
    sentence = sentence.strip().rstrip(".")
    first = sentence.split(" ", 1)[0]
    if first[1:] != first[1:].lower() or not first[:1].isupper():
        return sentence
    return sentence[:1].lower() + sentence[1:]


def _since(epoch: int, sub: str) -> str:
    """``sub`` after "from epoch N, " when that still fits a subcaption.

    >>> _since(12, "layer 1 keeps one number per point")
    'from epoch 12, layer 1 keeps one number per point'
    """
    told = f"from epoch {epoch:,}, {sub}"
    return told if len(told) <= _MAX_SUB else sub


def _one(event: Event) -> Line:
    """The caption of a single event."""
    e, label = event, event.label
    if e.kind == STOPPED:
        reached = "" if e.loss is None else f"its loss reached {fmt_loss(e.loss)}"
        target = "" if e.target is None else f", under the target of {e.target:g}"
        said = f"{label} stops at epoch {e.epoch:,}"
        said += f": {reached}{target}, so" if reached else ", and"
        return Line(
            f"{label} stops at epoch {e.epoch:,}",
            f"{reached}{target}: its picture freezes there".lstrip(": "),
            narration=f"{said} its picture freezes there.",
        )
    if e.kind == ENDED:
        return Line(
            f"{label} ends at epoch {e.epoch:,}",
            "it has done all its epochs: its picture freezes while the others go on",
            narration=f"{label} has done all its epochs, at epoch {e.epoch:,}: its picture "
            "freezes while the others go on.",
        )
    head = badge(e.kind, epoch=e.epoch, count=e.count).text
    article = "a " if e.count == 1 and e.kind in (DEAD, SATURATED, COLLAPSED) else ""
    said = f"{label}: {article}{head}, from epoch {e.epoch:,} on."
    shown = e.sentence
    if e.kind in (DEAD, SATURATED) and len(shown) > _MAX_SUB:  # what it means; the voice says all
        shown = MEANING[e.kind]
    return Line(
        f"{label}: {article}{head}",
        _since(e.epoch, _screen(shown)) if shown else f"from epoch {e.epoch:,} on",
        narration=f"{said} {e.sentence}".strip(),
    )


def events(items: Sequence[Event]) -> Line:
    """The caption of one or several events that happen close together on the clock.

    Subcaptions are written as every other subcaption is: lower case first, no full stop.

    >>> two = [Event("A", "stopped-early", 41, loss=0.26, target=0.263),
    ...        Event("B", "stopped-early", 38, loss=0.25, target=0.263)]
    >>> events(two).caption, events(two).sub
    ('2 runs stop early', 'A at epoch 41 and B at epoch 38: each reached the target loss 0.263')
    >>> mixed = [two[0], Event("C", "dead-unit", 12, "Layer 1, unit 2 is a dead ReLU.")]
    >>> events(mixed).caption
    'A stops at epoch 41 · C: a dead ReLU'
    """
    if not items:
        raise ValueError("events() needs at least one event")
    if len(items) == 1:
        return _one(items[0])
    kinds = list(dict.fromkeys(e.kind for e in items))
    if len(kinds) == 1:
        kind = kinds[0]
        labels = [e.label for e in items]
        if kind == STOPPED:
            targets = {e.target for e in items}
            target = next(iter(targets)) if len(targets) == 1 else None
            when = _names([f"{e.label} at epoch {e.epoch:,}" for e in items])
            why = f"the target loss {target:g}" if target is not None else "its target loss"
            return Line(
                f"{len(items)} runs stop early",
                f"{when}: each reached {why}",
                narration=f"{len(items)} runs stop early, {when}: each reached {why}.",
            )
        if kind == ENDED:
            return Line(
                f"{len(items)} runs end",
                f"{_names(labels)} have done all their epochs: their pictures freeze",
                narration=f"{_names(labels)} have done all their epochs, and their pictures "
                "freeze.",
            )
        head = badge(kind, count=2).text.removeprefix("2 ")
        sentences = {e.sentence for e in items}
        # one sentence for all, if they share one; else what the finding means
        sentence = items[0].sentence if len(sentences) == 1 else MEANING.get(kind, "")
        shown = labels  # with how many units each, when some have several
        if any(e.count > 1 for e in items):
            shown = [f"{e.label} ({e.count})" if e.count else e.label for e in items]
        spoken = _sentence(sentence) if sentence else ""
        # on screen, after the runs' names and a colon: one clause (the voice says it all)
        meaning = _screen(sentence if ": " not in sentence else MEANING.get(kind, sentence))
        return Line(
            f"{len(items)} runs: {head}",
            f"{_names(shown)}" + (f": {meaning[:1].lower()}{meaning[1:]}" if meaning else ""),
            narration=f"{len(items)} runs show {head}: {_names(labels)}."
            + (f" {spoken}" if spoken else ""),
        )
    parts, said = [], []
    for kind in kinds:
        group = [e for e in items if e.kind == kind]
        told = _one(group[0]) if len(group) == 1 else events(group)
        parts.append(told.caption)
        said.append(told.spoken)
    first = _one(items[0])
    return Line(" · ".join(parts), first.sub, narration=" ".join(said))


@dataclass(frozen=True)
class Result:
    """A run's final numbers, for the last captions.

    ``n_train`` and ``n_test`` count the points its accuracies are measured on (0: not
    known). ``guess`` and ``neighbours`` are what its accuracy is measured against, on the
    same points (None: not known): always guessing the most common class, and a vote of
    each point's nearest training points (:mod:`scenes.compare.yardstick`).
    """

    label: str
    loss: float
    acc: float
    test_acc: float | None = None
    n_train: int = 0
    n_test: int = 0
    guess: float | None = None
    neighbours: float | None = None


#: Of runs as accurate as each other, one is the best only with a loss this many times
#: lower than each of the others' (surer of its answers); closer, they tie.
CLEAR_LOSS = 1.5
#: No run does well when the best accuracy is under POOR_BELOW and at least SHORT_OF under
#: what a vote of the nearest neighbours gets on the same points (so it can be done).
POOR_BELOW = 0.9
SHORT_OF = 0.1
#: No run learned much when the best accuracy is within this of always guessing the most
#: common class.
NEAR_GUESS = 0.1
#: In a grid's answer, a run did well within NEAR_TOP of the most accurate run, and did
#: not at SPLIT or more below it.
NEAR_TOP = 0.02
SPLIT = 0.1

_WAYS = {3: "three-way ", 4: "four-way ", 5: "five-way ", 6: "six-way "}


def pct(share: float) -> str:
    """A share as whole percent, as the cells write it.

    >>> pct(0.885), pct(1.0)
    ('88 %', '100 %')
    """
    return f"{round(share * 100):d} %"


def _span(shares: Sequence[float]) -> str:
    """Whole percentages from the lowest to the highest share.

    >>> _span([0.88, 0.875]), _span([0.87, 0.884])
    ('88 %', '87–88 %')
    """
    lo, hi = pct(min(shares)), pct(max(shares))
    return lo if lo == hi else f"{lo.removesuffix(' %')}–{hi}"


def _fit(*candidates: str) -> str:
    """The first candidate that reads at full size as a subcaption, else the last."""
    for c in candidates:
        if len(c) <= _MAX_SUB:
            return c
    return candidates[-1]


def _points_behind(run: Result, top: float, held_out: bool) -> float:
    """How many of its points ``run`` gets wrong that accuracy ``top`` gets right."""
    acc = run.test_acc if held_out and run.test_acc is not None else run.acc
    n = run.n_test if held_out else run.n_train
    return (top - acc) * n if n else (0.0 if acc >= top else float("inf"))


def _score(run: Result, held_out: bool) -> float:
    """The accuracy a run is judged by."""
    return float(run.test_acc if held_out and run.test_acc is not None else run.acc)


@dataclass(frozen=True)
class Verdict:
    """The last caption and what it frames.

    Attributes
    ----------
    line : Line
        Names the best run, a tie, or that no run does well.
    best : int
        The best run's index (of a tie, the one with the lowest loss).
    framed : tuple of int
        The runs to frame: the best, or every run of a tie (in grid order).
    held_out : bool
        Whether runs are judged on their held-out points (every run has some).
    """

    line: Line
    best: int
    framed: tuple[int, ...]
    held_out: bool


def results(runs: Sequence[Result]) -> Verdict:
    """The last caption, naming the best run (or a tie), and which runs it frames.

    The best is the most accurate on held-out points when every run has some, else on the
    training points. Runs within one point of the most accurate are as good (one point is
    chance on a few dozen): of those, the one with the lowest training loss is best if
    its loss is clearly the lowest (:data:`CLEAR_LOSS`), the one most sure of its answers;
    else they tie. When even the best does poorly (far under what the points' nearest
    neighbours get, or near always guessing one class), the caption says so first.

    >>> v = results([Result("A", 0.40, 0.86), Result("B", 0.28, 0.89), Result("C", 0.69, 0.48)])
    >>> v.best, v.line.caption
    (1, 'Best: B')
    >>> v.line.sub
    '89 % of the training points right, loss 0.280; the weakest, C: 48 %'

    One held-out point more does not beat a loss four times lower; the words say which
    point, and what each run gets:

    >>> v = results([Result("lr 0.1", 0.156, 0.99, 62 / 64, 256, 64),
    ...              Result("lr 0.01", 0.676, 0.98, 63 / 64, 256, 64)])
    >>> v.best, v.line.caption
    (0, 'Best: lr 0.1')
    >>> v.line.sub
    '97 % of held-out points right, loss 0.156; lr 0.01: one more right (98 %), loss 0.676'

    Losses as close as their accuracies: a tie, every tied run framed:

    >>> v = results([Result("a", 0.280, 0.885, n_train=400), Result("b", 0.285, 0.885,
    ...              n_train=400), Result("c", 0.7, 0.5, n_train=400)])
    >>> v.line.caption, v.framed
    ('A tie at 88 %', (0, 1))
    """
    if not runs:
        raise ValueError("results() needs at least one run")
    held_out = all(r.test_acc is not None for r in runs)
    score = [_score(r, held_out) for r in runs]
    order = sorted(range(len(runs)), key=lambda i: (-score[i], runs[i].loss, i))
    top = order[0]
    level = [i for i in order if _points_behind(runs[i], score[top], held_out) <= 1 + 1e-6]
    best = min(level, key=lambda i: (runs[i].loss, order.index(i)))
    b = runs[best]
    rivals = [i for i in level if i != best and score[i] >= score[best] - 1e-9]
    clear = all(runs[i].loss >= CLEAR_LOSS * b.loss for i in level if i != best)
    framed = (best,) if clear else tuple(sorted(level))
    where = "held-out" if held_out else "training"
    wheres = ("held-out (test)", "held-out") if held_out else ("training",)
    names = _names([runs[i].label for i in framed])
    gets = "gets" if len(framed) == 1 else "get"
    span = _span([score[i] for i in framed])
    worst = order[-1]
    weakest, said_weakest = "", ""
    if len(runs) > 1 and worst not in framed and score[worst] < min(score[i] for i in framed):
        weakest = f"; the weakest, {runs[worst].label}: {pct(score[worst])}"
        said_weakest = f" The weakest, {runs[worst].label}, gets {pct(score[worst])}."

    guess, near = runs[top].guess, runs[top].neighbours
    little = guess is not None and score[top] < guess + NEAR_GUESS
    poor = not little and near is not None and score[top] < min(POOR_BELOW, near - SHORT_OF)
    if little or poor:
        if little:
            caption = "No run learned much"
            than = f"always guessing one class gets {pct(guess or 0.0)}"
            said_than = f"always guessing the most common class gets {pct(guess or 0.0)}"
            why = " The networks learned almost nothing."
        else:
            caption = "No run does well"
            than = f"a nearest-neighbour vote gets {pct(near or 0.0)}"
            said_than = f"a vote of each point's nearest training points gets {pct(near or 0.0)}"
            why = " A network can do far better on these points."
            if guess is not None:
                why = f" Always guessing the most common class gets {pct(guess)}." + why
        sub = _fit(
            *[f"the best, {names}, {gets} {span} of the {w} points right; {than}" for w in wheres],
            f"at best {span} of the {where} points right; {than}",
            f"at best {span} right; {than}",
        )
        said = (
            f"No run does well. The best, {names}, {gets} {span} of the {where} points "
            f"right, while {said_than}.{why}"
        )
        if little:
            said = said.replace("No run does well.", "No run learned much.", 1)
        return Verdict(Line(caption, sub, narration=said), best, framed, held_out)

    loss = fmt_loss(b.loss)
    if not clear:
        ways = _WAYS.get(len(framed), f"{len(framed)}-way " if len(framed) > 2 else "")
        losses = _names([fmt_loss(runs[i].loss) for i in framed])
        sub = _fit(
            *[f"{names}: {span} of the {w} points right, losses {losses}" for w in wheres],
            f"{names}, with losses {losses}",
            names,
        )
        said = (
            f"A tie: {names} each get {span} of the {where} points right, with losses of "
            f"{losses}: too close to call.{said_weakest}"
        )
        return Verdict(Line(f"A {ways}tie at {span}", sub, narration=said), best, framed, held_out)
    head = f"{pct(score[best])} of the"
    said = (
        f"The best run is {b.label}: {pct(score[best])} of the {where} points right, with a "
        f"loss of {loss}."
    )
    if not rivals:
        sub = _fit(
            *[f"{head} {w} points right, loss {loss}{weakest}" for w in wheres],
            *[f"{head} {w} points right, loss {loss}" for w in wheres],
        )
    elif len(rivals) == 1:
        r = runs[rivals[0]]
        n = r.n_test if held_out else r.n_train
        ahead = round((score[rivals[0]] - score[best]) * n) if n else None
        if score[rivals[0]] <= score[best] + 1e-12:
            ahead = 0
        more = "as many right" if ahead == 0 else "one more right" if ahead == 1 else "more right"
        rl = fmt_loss(r.loss)
        theirs = f"{r.label}: {more} ({pct(score[rivals[0]])})"
        sub = _fit(
            *[f"{head} {w} points right, loss {loss}; {theirs}, but loss {rl}" for w in wheres],
            f"{pct(score[best])} of {where} points right, loss {loss}; {theirs}, but loss {rl}",
            f"{pct(score[best])} of {where} points right, loss {loss}; {theirs}, loss {rl}",
            f"{pct(score[best])} of {where} points right, loss {loss}; {r.label}: "
            f"{pct(score[rivals[0]])}, loss {rl}",
            f"{head} {where} points right, loss {loss}",
        )
        more_said = {
            "as many right": f"gets as many {where} points right",
            "one more right": f"gets one more {where} point right, {pct(score[rivals[0]])}",
        }.get(more, f"gets more {where} points right, {pct(score[rivals[0]])}")
        said += (
            f" {r.label} {more_said}, but with a loss of {fmt_loss(r.loss)} it is less sure "
            "of its answers."
        )
    else:
        many = f"{len(rivals) + 1} runs get {_span([score[i] for i in [best, *rivals]])}"
        sub = _fit(
            *[f"{many} of the {w} points right; its loss is the lowest: {loss}" for w in wheres],
            f"{many}; its loss is the lowest: {loss}",
        )
        said = (
            f"{many} of the {where} points right. The best is {b.label}, with by far the "
            f"lowest loss, {loss}: it is the surest of its answers."
        )
    return Verdict(
        Line(f"Best: {b.label}", sub, narration=said + said_weakest), best, framed, held_out
    )


@dataclass(frozen=True)
class Axis:
    """One direction of a grid: the option it varies, and its groups of runs.

    ``groups`` are ``(what the cells' labels call the value, the runs' indices)``.
    """

    option: str
    groups: tuple[tuple[str, tuple[int, ...]], ...]


def _or(items: Sequence[str]) -> str:
    """``"a"``, ``"a or b"``, ``"a, b or c"``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


@dataclass(frozen=True)
class Answer:
    """What a grid shows: the caption saying it, and the runs it is about (every run with
    the values that did well)."""

    line: Line
    runs: tuple[int, ...]


def answer(runs: Sequence[Result], axes: Sequence[Axis], question: str = "") -> Answer | None:
    """What the grid shows, when one option explains the results; None when none does.

    A run did well within :data:`NEAR_TOP` of the most accurate run, and did not at
    :data:`SPLIT` or more below it. An option explains the results when every run with
    some of its values did well and every run with some other value did not (the first
    such axis, preferring one whose every value does one or the other); the runs with its
    other values are said to differ. A grid's
    ``question`` (a description ending in "?") is the caption, answered in the subcaption.

    >>> runs = [Result(f"{a} · hidden {w}", 0.1, 0.0, acc, 240, 60) for a, w, acc in (
    ...     ("ReLU", 2, 0.68), ("ReLU", 3, 1.0), ("tanh", 2, 0.82), ("tanh", 3, 1.0))]
    >>> axes = [Axis("activation", (("ReLU", (0, 1)), ("tanh", (2, 3)))),
    ...         Axis("hidden", (("hidden 2", (0, 2)), ("hidden 3", (1, 3))))]
    >>> told = answer(runs, axes, "How wide must the layer be?")
    >>> told.line.caption, told.runs
    ('How wide must the layer be?', (1, 3))
    >>> told.line.sub
    'every run with hidden 3 gets 100 % of the held-out points right; none with hidden 2 does'
    >>> answer(runs, axes[:1]) is None
    True
    """
    if len(runs) < 4:
        return None
    held_out = all(r.test_acc is not None for r in runs)
    where = "held-out" if held_out else "training"
    score = [_score(r, held_out) for r in runs]
    top = max(score)
    good = {i for i, s in enumerate(score) if s >= top - NEAR_TOP - 1e-9}
    bad = {i for i, s in enumerate(score) if s <= top - SPLIT + 1e-9}
    found: tuple[int, Axis, list[str], list[str], list[tuple[str, int, int]]] | None = None
    for axis in axes:
        if len(axis.groups) < 2 or any(len(group) < 2 for _, group in axis.groups):
            continue
        well, badly, mixed = [], [], []
        for piece, group in axis.groups:
            k = sum(i in good for i in group)
            if k == len(group):
                well.append(piece)
            elif all(i in bad for i in group):
                badly.append(piece)
            else:
                mixed.append((piece, k, len(group)))
        if well and badly:
            rank = 0 if not mixed else 1
            if found is None or rank < found[0]:
                found = (rank, axis, well, badly, mixed)
    if found is None:
        return None
    _, axis, well, badly, mixed = found
    span = _span([score[i] for piece, group in axis.groups if piece in well for i in group])
    every = f"every run with {_or(well)} gets {span}"
    none = f"none with {_or(badly)} does"
    sub = _fit(f"{every} of the {where} points right; {none}", f"{every}; {none}")
    name = OPTION_NAMES.get(axis.option, axis.option.replace("_", " "))
    asked = question.strip()
    caption = (
        asked
        if asked.endswith("?") and len(asked) <= _MAX_CAPTION
        else f"What sets them apart: the {name}"
    )
    said = (
        f"{_sentence(asked)} " if caption == asked else f"What sets the runs apart is the {name}. "
    )
    said += f"Every run with {_or(well)} gets {span} of the {where} points right, and none with "
    said += f"{_or(badly)} does."
    for piece, k, n in mixed:
        said += f" With {piece}, {k} of {n} {'does' if k == 1 else 'do'}."
    them = sorted(i for piece, group in axis.groups if piece in well for i in group)
    return Answer(Line(caption, sub, narration=said), tuple(them))
