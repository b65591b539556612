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
    "Event",
    "Result",
    "badge",
    "clock_start",
    "events",
    "fmt_loss",
    "intro",
    "results",
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
    COLLAPSED: "a collapsed layer squashes the points onto a line or a point",
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


def intro(n_runs: int, dataset: str, varied: Sequence[str], description: str = "") -> Line:
    """The opening: how many runs, on what, and what differs between them.

    >>> intro(6, "sandwich", ["activation", "lr"]).sub
    'the sandwich, 6 runs that differ only in the activation and the learning rate'
    >>> intro(3, "spiral", ["hidden", "epochs", "lr"]).sub.split(" only in ")[1]
    'the hidden layers, the number of epochs and the learning rate'
    >>> intro(2, "moons", ["lr"], "Two learning rates, one network").narration[-33:]
    ' Two learning rates, one network.'
    >>> intro(2, "moons", ["lr"], "lr 0.1 / 0.01 on a 2-2-1 net").narration[-14:]
    'learning rate.'
    """
    names = [f"the {OPTION_NAMES.get(v, v.replace('_', ' '))}" for v in varied]
    listed = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    differ = f"that differ only in {listed}" if names else "with the same options"
    # a description in prose is said; one in shorthand (a preset's "ReLU vs tanh × lr 0.1 /
    # 0.01") is not: a voice would read its symbols, not what they mean
    said = description if description and not _SHORTHAND.search(description) else ""
    said = said[:1].upper() + said[1:]  # a sentence of its own
    return Line(
        f"{n_runs} trainings, side by side",
        f"the {dataset}, {n_runs} runs {differ}",
        narration=(
            f"{n_runs} networks train on the {dataset} at the same time, {differ}. "
            + (said.rstrip(".") + "." if said else "")
        ).strip(),
    )


def clock_start(last_epoch: int) -> Line:
    """The clock starts: every run from epoch 0, on a log scale of epochs.

    >>> clock_start(200).caption
    'Every run on one clock: epoch 0 to 200'
    """
    return Line(
        f"Every run on one clock: epoch 0 to {last_epoch:,}",
        "time runs on a log scale of epochs: the first epochs get as much time as the last",
        narration=f"Every run shares one clock, from epoch 0 to {last_epoch:,}. Time runs on "
        "a log scale of epochs, so the first epochs get as much time as the last ones.",
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

    ``count`` is how many units share the finding (dead or saturated units).

    >>> badge("dead-unit").text, badge("dead-unit", count=2).text
    ('dead ReLU', '2 dead ReLUs')
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
    many = "" if count == 1 else f"{count} "
    words = {
        DEAD: f"{many}dead ReLU{plural}",
        SATURATED: f"{many}saturated unit{plural}",
        COLLAPSED: "collapsed layer",
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
    return Line(
        f"{label}: {article}{head}",
        (_short(e.sentence) if e.kind in (DEAD, SATURATED) else e.sentence)
        or f"from epoch {e.epoch:,} on",
        narration=f"{said} {e.sentence}".strip(),
    )


def _short(sentence: str) -> str:
    """A sentence listing units, for the screen: too long to read at full size, only what
    it means (the part after its colon; the voice says it all).

    >>> _short("Units 1 and 2 of layer 3, unit 1 of layer 4, unit 2 of layer 5 and 1 more (tanh) "
    ...        "are saturated on at least 98 % of the points: their slopes are almost 0, so "
    ...        "they barely learn.")
    'Their slopes are almost 0, so they barely learn.'
    """
    if len(sentence) <= _MAX_SUB or ": " not in sentence:
        return sentence
    tail = sentence.split(": ", 1)[1]
    return tail[:1].upper() + tail[1:]


def events(items: Sequence[Event]) -> Line:
    """The caption of one or several events that happen close together on the clock.

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
            shown = [f"{e.label} ({e.count})" for e in items]
        spoken = sentence[:1].upper() + sentence[1:]
        return Line(
            f"{len(items)} runs: {head}",
            f"{_names(shown)}" + (f": {sentence[:1].lower()}{sentence[1:]}" if sentence else ""),
            narration=f"{len(items)} runs show {head}: {_names(labels)}."
            + (f" {spoken}" + ("" if spoken.endswith(".") else ".") if spoken else ""),
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
    """A run's final numbers, for the last caption; ``n_train`` and ``n_test`` count the
    points its accuracies are measured on (0: not known)."""

    label: str
    loss: float
    acc: float
    test_acc: float | None = None
    n_train: int = 0
    n_test: int = 0


def _points_behind(run: Result, top: float, held_out: bool) -> float:
    """How many of its points ``run`` gets wrong that accuracy ``top`` gets right."""
    acc = run.test_acc if held_out and run.test_acc is not None else run.acc
    n = run.n_test if held_out else run.n_train
    return (top - acc) * n if n else (0.0 if acc >= top else float("inf"))


def results(runs: Sequence[Result]) -> tuple[Line, int]:
    """The last caption, naming the best run, and that run's index in ``runs``.

    The best is the most accurate on held-out points when every run has some, else on the
    training points. Runs within one point of the most accurate are as good (one point is
    chance on a few dozen): of those, the one with the lowest training loss is best, the
    one most sure of its answers; then the earlier run.

    >>> line, best = results([Result("A", 0.40, 0.86), Result("B", 0.28, 0.89),
    ...                       Result("C", 0.69, 0.48)])
    >>> best, line.caption
    (1, 'Best: B')
    >>> line.sub
    '89 % of the training points right, loss 0.280; the weakest, C: 48 %'

    One held-out point more does not beat a loss four times lower:

    >>> line, best = results([Result("lr 0.1", 0.156, 0.99, 62 / 64, 256, 64),
    ...                       Result("lr 0.01", 0.676, 0.98, 63 / 64, 256, 64)])
    >>> best, line.caption
    (0, 'Best: lr 0.1')
    >>> line.sub
    '97 % of the held-out points right, loss 0.156; lr 0.01: 1 point more, loss 0.676'
    """
    if not runs:
        raise ValueError("results() needs at least one run")
    held_out = all(r.test_acc is not None for r in runs)

    def score(r: Result) -> float:
        acc = r.test_acc if held_out and r.test_acc is not None else r.acc
        return float(acc)

    order = sorted(range(len(runs)), key=lambda i: (-score(runs[i]), runs[i].loss, i))
    top = runs[order[0]]
    level = [i for i in order if _points_behind(runs[i], score(top), held_out) <= 1 + 1e-6]
    first = min(level, key=lambda i: (runs[i].loss, order.index(i)))
    best, worst = runs[first], runs[order[-1]]
    where = "held-out (test)" if held_out else "training"
    sub = f"{score(best):.0%} of the {where} points right, loss {fmt_loss(best.loss)}"
    said = (
        f"The best run is {best.label}: {score(best):.0%} of the "
        f"{'held-out' if held_out else 'training'} points right, with a "
        f"loss of {fmt_loss(best.loss)}."
    )
    if best is not top:
        short = sub.replace(" (test)", "")
        more = f"; {top.label}: 1 point more, loss {fmt_loss(top.loss)}"
        if len(short + more) <= _MAX_SUB:
            sub = short + more
        said += (
            f" One point more goes to {top.label}, but with a loss of "
            f"{fmt_loss(top.loss)} it is less sure of its answers."
        )
    weakest = f"; the weakest, {worst.label}: {score(worst):.0%}"
    if len(runs) > 1 and score(worst) < score(best) and worst is not best:
        if len(sub + weakest) <= _MAX_SUB:
            sub += weakest
        said += f" The weakest, {worst.label}, gets {score(worst):.0%}."
    sub = sub.replace("%", " %")
    return Line(f"Best: {best.label}", sub, narration=said.replace("%", " %")), first
