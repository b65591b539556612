"""The evolution's words: what is on screen, and the training's key moments (no Manim).

Pure functions of the trajectory's numbers, each returning a
:class:`~scenes.narration.text.Line` (its caption and subcaption for the eye, its narration
in sentences for the ear); :mod:`scenes.evolution.plan` calls them.

>>> start(0.7519, 0.509, None).caption
'Epoch 0: random weights'
>>> moment(58, 0.3102, 0.7519, 0.9, 0.89, halved_at=49, passed_at=58, fell_to=0.3711).sub
'the loss halved by epoch 49: 0.752 → 0.371 · 89 % of the held-out points right'
"""

from __future__ import annotations

from collections.abc import Sequence

from nnmodel.datacheck import DataReport
from scenes.narration import warp as warp_words
from scenes.narration.text import Line

__all__ = [
    "ACCURACY_MARK",
    "CHANGE",
    "check_in",
    "data_check",
    "training",
    "end",
    "finding",
    "intro",
    "layers",
    "loss_text",
    "moment",
    "plane",
    "plateau",
    "spike",
    "start",
]

#: The accuracy whose first crossing is a key moment.
ACCURACY_MARK = 0.9
#: The least change a check-in calls a change: 5 % of the loss, 5 points of accuracy.
CHANGE = 0.05


def pct(share: float) -> str:
    """A share as a whole percentage.

    >>> pct(0.8968)
    '90 %'
    """
    return f"{share * 100:.0f} %"


def loss_text(value: float) -> str:
    """A loss with three decimals (two significant digits when tiny).

    >>> loss_text(0.7519), loss_text(0.00041)
    ('0.752', '0.00041')
    """
    if 0 < abs(value) < 0.001:
        return f"{value:.2g}"
    return f"{value:.3f}"


#: The most characters of a caption: about the frame's width at 30 points, bold.
CAPTION_CHARS = 60
#: The most characters of a subcaption: about the frame's width at 22 points (the facts
#: that would run longer are left out, least important first).
SUB_CHARS = 84


def _joined(parts: Sequence[str]) -> str:
    """The parts joined by `` · ``, dropping trailing ones beyond :data:`SUB_CHARS`.

    >>> _joined(["a" * 50, "b" * 30, "c" * 10])
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa · bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'
    """
    out = parts[0] if parts else ""
    for part in parts[1:]:
        if len(out) + 3 + len(part) > SUB_CHARS:
            break
        out += " · " + part
    return out


def _score(train_acc: float, test_acc: float | None) -> str:
    """``86 % of the training points right (87 % of the held-out)``."""
    held = "" if test_acc is None else f" ({pct(test_acc)} of the held-out)"
    return f"{pct(train_acc)} of the training points right{held}"


def _runs(widths: Sequence[int]) -> list[str]:
    """Layer widths, three or more equal ones in a row written once with a count.

    >>> _runs([2, 2, 2, 2, 2, 1]), _runs([2, 8, 8, 1])
    (['2 (×5)', '1'], ['2', '8', '8', '1'])
    >>> intro("moons", [2] * 9 + [1], 300, "log").sub
    '2 → 2 (×8) → 1 · 300 epochs on a log clock: early ones slow, late ones fast'
    """
    out: list[str] = []
    i = 0
    while i < len(widths):
        j = i
        while j < len(widths) and widths[j] == widths[i]:
            j += 1
        n = j - i
        out += [f"{widths[i]} (×{n})"] if n >= 3 else [str(widths[i])] * n
        i = j
    return out


_NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _said(n: int) -> str:
    return _NUMBERS.get(n, f"{n:,}")


def _network_said(widths: Sequence[int]) -> str:
    """The network's shape in words.

    >>> _network_said([2, 3, 2, 1])
    'two inputs, hidden layers of 3 and 2 units, and one output'
    >>> _network_said([2, 8, 8, 8, 3]), _network_said([2, 1])
    ('two inputs, three hidden layers of 8 units, and three outputs', 'two inputs and one output')
    """
    ins, outs = widths[0], widths[-1]
    head = f"{_said(ins)} input{'s' if ins != 1 else ''}"
    tail = f"{_said(outs)} output{'s' if outs != 1 else ''}"
    hidden = list(widths[1:-1])
    if not hidden:
        return f"{head} and {tail}"
    if len(set(hidden)) == 1:
        k = len(hidden)
        layers = f"{_said(k)} hidden layers" if k > 1 else "one hidden layer"
        middle = f"{layers} of {hidden[0]} units"
    elif len(hidden) <= 4:
        middle = f"hidden layers of {', '.join(map(str, hidden[:-1]))} and {hidden[-1]} units"
    else:
        middle = f"{len(hidden)} hidden layers of {min(hidden)} to {max(hidden)} units"
    return f"{head}, {middle}, and {tail}"


def intro(name: str, widths: Sequence[int], epochs: int, mapping: str) -> Line:
    """The opening: the data, the network, and how the video's clock runs.

    >>> intro("moons", [2, 8, 2, 1], 1000, "log").sub
    '2 → 8 → 2 → 1 · 1,000 epochs on a log clock: early ones slow, late ones fast'
    """
    if len(widths) <= 7:
        arch = " → ".join(str(w) for w in widths)
    else:  # deep: the hidden widths' runs counted
        arch = " → ".join([str(widths[0]), *_runs(widths[1:-1]), str(widths[-1])])
    clock = (
        "on a log clock: early ones slow, late ones fast"
        if mapping == "log"
        else "on a linear clock: each for the same time"
    )
    pace = (
        "The clock is logarithmic: the early epochs, where most of the change happens, go "
        "slowly, and the late ones fast."
        if mapping == "log"
        else "Every epoch gets the same time on screen."
    )
    return Line(
        f"Watching a network learn: {name}",
        f"{arch} · {epochs:,} epochs {clock}",
        narration=f"Let's watch a network learn the {name} data: {_network_said(widths)}, "
        f"trained for {epochs:,} epochs. {pace}",
    )


def plane(n_classes: int, light: bool = False) -> Line:
    """The input plane: what its colours and its line mean.

    Where the network is unsure the plane fades to the background: paler on a ``light``
    one, darker on a dark one.

    >>> plane(2).sub
    'colour: the class it predicts, darker where it is unsure · the line: the decision boundary'
    >>> plane(3, light=True).narration.split(": ")[1]
    'the colour is the class it predicts, paler where it is unsure, and the lines are the \
boundaries between its classes.'
    """
    line = "the line: the decision boundary" if n_classes == 2 else "lines: the boundaries"
    said = (
        "the line is its decision boundary"
        if n_classes == 2
        else "the lines are the boundaries between its classes"
    )
    unsure = "paler" if light else "darker"
    return Line(
        "Left: the network's answer at every point of the plane",
        f"colour: the class it predicts, {unsure} where it is unsure · {line}",
        narration="On the left, the network's answer at every point of the plane: the colour "
        f"is the class it predicts, {unsure} where it is unsure, and {said}.",
    )


def data_check(report: DataReport) -> Line | None:
    """What in the data itself will shape the training, from the same checks the warp
    says (:func:`nnmodel.datacheck.check_data`), or None: inputs left unstandardised at
    scales far apart, a nearly constant column, or classes so unbalanced that always
    answering the largest one already scores well.

    >>> from nnmodel.datacheck import DataCheck, DataReport
    >>> raw = DataCheck("scales-differ", "...", "proline", 395.0)
    >>> report = DataReport("2", 0.42, (0.8, 316.0), ("alcohol", "proline"), False, (raw,))
    >>> line = data_check(report)
    >>> line.caption
    "Before training: the inputs' scales differ 395×"
    >>> line.sub
    "unscaled, the network sees mostly 'proline', as the plane does: standardise them"
    """
    for check in report.checks:
        if check.kind == "scales-differ" and not report.standardized:
            cause = warp_words.diagnosis(report, 1.0) or ""
            wide = check.column or ""
            narrow = report.columns[1 - report.columns.index(wide)] if wide else ""
            head, _, fix = cause.partition(": ")
            return Line(
                f"Before training: {head}",
                f"unscaled, the network sees mostly '{wide}', as the plane does: {fix}",
                narration=f"A word about the data first. '{wide}' spreads {check.value:,.0f} "
                f"times wider than '{narrow}', and the inputs are not standardised. Drawn "
                f"to one scale, as the network sees them, the points lie along '{wide}', "
                f"and '{narrow}' hardly counts. Standardise the inputs to let both count.",
            )
    for check in report.checks:
        if check.kind == "nearly-constant":
            return Line(
                f"Before training: '{check.column}' is nearly constant",
                "it says little about the classes",
                narration=f"A word about the data first: {check.text}.",
            )
    for check in report.checks:
        if check.kind == "imbalance":
            always = f"always answering '{report.majority_class}' already scores"
            return Line(
                "Before training: the classes are unbalanced",
                f"{always} {pct(report.majority_acc)} of the training points",
                narration=f"A word about the data first: {check.text}. Read every accuracy "
                "against that.",
            )
    return None


def _no_better(report: DataReport | None, train_acc: float) -> str | None:
    """``no better than always answering '2' (42 %)`` when ``train_acc`` is no better than
    the majority baseline, else None."""
    if report is None or not report.no_better(train_acc):
        return None
    return f"no better than always answering '{report.majority_class}' ({pct(report.majority_acc)})"


def layers(n_hidden: int, projected: Sequence[tuple[int, int, float | None]] = ()) -> Line:
    """The small multiples: each hidden layer's view of the points.

    ``projected`` lists ``(layer number, units, share of variance kept)`` for layers shown
    through a 3-D projection.

    >>> layers(2, [(1, 8, 0.87)]).sub
    'layer 1 has 8 units, seen through a fixed 3-D projection (87 % of their spread)'
    """
    head = (
        "Right: what the hidden layer makes of the points"
        if n_hidden == 1
        else "Right: what each hidden layer makes of the points"
    )
    sub = "the points and the plane's grid after each layer's activation"
    whose = "the hidden layer" if n_hidden == 1 else "each hidden layer"
    said = (
        f"On the right, what {whose} makes of the points: the points and the plane's grid "
        "after its activation."
    )
    if projected:
        n, units, kept = projected[0]
        which = f"layer {n} has {units} units" if len(projected) == 1 else "wider layers"
        one = len(projected) == 1 and kept is not None
        share = f" ({pct(kept)} of their spread)" if one and kept is not None else ""
        sub = f"{which}, seen through a fixed 3-D projection{share}"
        if len(projected) == 1:
            said += f" Layer {n} has {units} units, so we see it through a fixed 3-D projection."
        else:
            said += " The wider layers are seen through fixed 3-D projections."
    return Line(head, sub, narration=said)


def start(loss: float, train_acc: float, test_acc: float | None) -> Line:
    """Epoch 0, before any training."""
    return Line(
        "Epoch 0: random weights",
        f"loss {loss_text(loss)} · {_score(train_acc, test_acc)}",
        narration=f"At epoch 0 the weights are random: the loss is {loss_text(loss)}, and "
        f"{pct(train_acc)} of the training points are right.",
    )


def training(optimizer: str | None, lr: float | None, batch: int | None, n_train: int) -> Line:
    """As training starts: what every step does, and how this network was trained.

    >>> training("adam", 0.03, None, 320).sub
    'Adam, learning rate 0.03, all 320 training points at each step'
    >>> training("sgd", 0.003, 32, 16000).sub
    'SGD with momentum, learning rate 0.003, batches of 32 of 16,000 training points'
    """
    how = {"adam": "Adam", "sgd": "SGD with momentum"}.get(optimizer or "", optimizer or "")
    parts = [how] if how else []
    if lr is not None:
        parts.append(f"learning rate {lr:g}")
    if batch is None or batch >= n_train:
        parts.append(f"all {n_train:,} training points at each step")
        data = f"all {n_train:,} training points"
    else:
        parts.append(f"batches of {batch:,} of {n_train:,} training points")
        data = f"batches of {batch:,} training points"
    with_ = f" with {how}" if how else ""
    rate = f", learning rate {lr:g}" if lr is not None else ""
    return Line(
        "Training: each step nudges the weights downhill",
        ", ".join(parts),
        narration=f"Now training starts. Each step nudges every weight a little downhill on "
        f"the loss, here{with_}{rate}, measured on {data}.",
    )


def moment(
    epoch: int,
    loss: float,
    first_loss: float,
    train_acc: float,
    test_acc: float | None,
    *,
    halved_at: int | None = None,
    tenth_at: int | None = None,
    passed_at: int | None = None,
    fell_to: float | None = None,
    report: DataReport | None = None,
) -> Line:
    """A key moment, told at ``epoch`` (the latest of what it tells): the training loss
    fell to half (``halved_at``) or a tenth (``tenth_at``) of its first value, and/or the
    training accuracy first reached 90 % (``passed_at``).

    ``loss`` is the training loss at ``epoch``; ``fell_to`` the one at the epoch the loss
    halved (or fell tenfold), when that is an earlier epoch (the loss told beside that
    epoch is the loss there, not the one at ``epoch``). The caption names the epoch it
    tells ("At epoch …"): it stays up while the training runs on to the next moment, and
    the counter then shows later epochs. Reaching 90 % where always answering the largest
    class scores as much (``report``'s majority baseline) is said to be no better.

    >>> moment(340, 0.07, 0.75, 0.98, 0.97, tenth_at=340).caption
    'At epoch 340: the loss has fallen tenfold'
    >>> moment(39, 0.283, 0.748, 0.9, None, halved_at=26, passed_at=39, fell_to=0.373).sub
    'the loss halved by epoch 26: 0.748 → 0.373'
    """
    fell, by = ("fell tenfold", tenth_at) if tenth_at is not None else ("halved", halved_at)
    named = loss
    if by is not None and by != epoch:
        if fell_to is None:
            raise ValueError(f"the loss at epoch {by}, where it {fell}, is needed to tell it")
        named = fell_to
    change = f"{loss_text(first_loss)} → {loss_text(named)}"
    if passed_at is not None:
        parts = [] if passed_at == epoch else [f"90 % first at epoch {passed_at:,}"]
        if by is not None:
            when = "" if by == epoch else f" by epoch {by:,}"
            parts.append(f"the loss {fell}{when}: {change}")
        else:
            parts.append(f"loss {loss_text(loss)}")
        if test_acc is not None:
            parts.append(f"{pct(test_acc)} of the held-out points right")
        caption = f"At epoch {epoch:,}: {pct(train_acc)} of the training points right"
        said = f"By epoch {epoch:,}, {pct(train_acc)} of the training points are right"
        said += "." if passed_at == epoch else f"; they first passed 90 % at epoch {passed_at:,}."
        if report is not None and report.no_better(train_acc):
            always = f"always answering '{report.majority_class}'"
            caption = f"At epoch {epoch:,}: {pct(train_acc)} right, no better than {always}"
            if len(caption) > CAPTION_CHARS:
                caption = (
                    f"At epoch {epoch:,}: {pct(train_acc)} right, no better than the largest class"
                )
            parts.insert(0, f"{always} scores {pct(report.majority_acc)}")
            said += f" But {always} scores {pct(report.majority_acc)}: that is no better."
        if by is not None:
            had = "had fallen tenfold" if tenth_at is not None else "had halved"
            when = " too" if by == epoch else f" by epoch {by:,}"
            said += f" The loss {had}{when}, from {loss_text(first_loss)} to {loss_text(named)}."
        if test_acc is not None:
            said += f" On the held-out points, {pct(test_acc)}."
        return Line(caption, _joined(parts), narration=said)
    what = "has fallen tenfold" if tenth_at is not None else "has halved"
    tenfold = "to a tenth of" if tenth_at is not None else "to half of"
    held = "" if test_acc is None else f", and {pct(test_acc)} of the held-out points"
    return Line(
        f"At epoch {epoch:,}: the loss {what}",
        _joined([change, _score(train_acc, test_acc)]),
        narration=f"By epoch {epoch:,} the loss has fallen {tenfold} where it started, from "
        f"{loss_text(first_loss)} to {loss_text(loss)}. {pct(train_acc)} of the training "
        f"points are right{held}.",
    )


def check_in(
    epoch: int,
    since: int,
    loss: float,
    loss_then: float,
    train_acc: float,
    acc_then: float,
    test_acc: float | None,
    dropped: tuple[int, float] | None = None,
    report: DataReport | None = None,
) -> Line:
    """Where training got by ``epoch``, against the last epoch told (``since``): a check-in
    on a long stretch with no key moment. It names the change the viewer just watched: a
    sharp drop of the loss that ends at ``epoch`` (``dropped``: the epoch it started and the
    loss there), the loss going up, the training points' accuracy rising, the loss falling,
    or neither (a plateau), the first that applies (:data:`CHANGE` is the least change
    named). Accuracy that rose but is no better than always answering the largest class
    (``report``'s majority baseline) is said to be so, never told as progress alone.

    >>> check_in(100, 0, 0.69, 0.70, 0.52, 0.50, None).caption
    'At epoch 100: the loss has barely moved'
    >>> check_in(300, 100, 0.52, 0.69, 0.71, 0.52, 0.68).sub
    'up from 52 % at epoch 100 · loss 0.690 → 0.520 · 68 % of the held-out points right'
    >>> from nnmodel.datacheck import DataReport
    >>> wine = DataReport("2", 0.42, (0.8, 316.0), ("alcohol", "proline"), False, ())
    >>> rose = check_in(90, 0, 1.08, 1.103, 0.42, 0.31, 0.31, report=wine)
    >>> rose.caption, rose.sub
    ("At epoch 90: 42 % right, no better than always answering '2'", \
"always answering '2' scores 42 % · up from 31 % at epoch 0 · loss 1.103 → 1.080")
    """
    held = "" if test_acc is None else f" On the held-out points, {pct(test_acc)}."
    held_sub = [] if test_acc is None else [f"{pct(test_acc)} of the held-out points right"]

    def facts(lead: str) -> str:
        """``lead`` and the score: both sets of points if the line has room, else the
        training points' alone."""
        whole = f"{lead} · {_score(train_acc, test_acc)}"
        if len(whole) <= SUB_CHARS:
            return whole
        return _joined([lead, f"{pct(train_acc)} of the training points right", *held_sub])

    change = f"{loss_text(loss_then)} → {loss_text(loss)}"
    from_to = f"from {loss_text(loss_then)} to {loss_text(loss)}"
    right = f"{pct(train_acc)} of the training points are right"
    baseline = _no_better(report, train_acc)
    if dropped is not None:
        at, before = dropped
        rose = train_acc - acc_then >= CHANGE
        acc = f", up from {pct(acc_then)} at epoch {since:,}" if rose else ""
        if baseline is not None:
            acc += f": {baseline}"
        lead = f"loss {loss_text(before)} → {loss_text(loss)} since epoch {at:,}"
        return Line(
            f"At epoch {epoch:,}: the loss drops sharply",
            facts(lead)
            if baseline is None
            else _joined([lead, f"{pct(train_acc)} right, {baseline}"]),
            narration=f"Then, between epoch {at:,} and epoch {epoch:,}, the loss drops "
            f"sharply, from {loss_text(before)} to {loss_text(loss)}. {right}{acc}.{held}",
        )
    if loss > loss_then * (1 + CHANGE):
        return Line(
            f"At epoch {epoch:,}: the loss has gone up",
            facts(f"{change} since epoch {since:,}"),
            narration=f"Between epoch {since:,} and epoch {epoch:,} the loss went up, "
            f"{from_to}: not every step goes downhill. {right}.{held}",
        )
    if train_acc - acc_then >= CHANGE and baseline is not None and report is not None:
        cls = report.majority_class
        always = f"always answering '{cls}'"
        caption = f"At epoch {epoch:,}: {pct(train_acc)} right, no better than {always}"
        if len(caption) > CAPTION_CHARS:
            caption = (
                f"At epoch {epoch:,}: {pct(train_acc)} right, no better than the largest class"
            )
        return Line(
            caption,
            _joined(
                [
                    f"{always} scores {pct(report.majority_acc)}",
                    f"up from {pct(acc_then)} at epoch {since:,}",
                    f"loss {change}",
                    *held_sub,
                ]
            ),
            narration=f"By epoch {epoch:,}, {right}, up from {pct(acc_then)} at epoch "
            f"{since:,}. But that is no better than always answering '{cls}', which "
            f"scores {pct(report.majority_acc)}: the network has learnt little more than "
            f"which class is largest. The loss went {from_to}.{held}",
        )
    if train_acc - acc_then >= CHANGE:
        return Line(
            f"At epoch {epoch:,}: {pct(train_acc)} of the training points right",
            _joined([f"up from {pct(acc_then)} at epoch {since:,}", f"loss {change}", *held_sub]),
            narration=f"By epoch {epoch:,}, {right}, up from {pct(acc_then)} at epoch "
            f"{since:,}. The loss went {from_to}.{held}",
        )
    if loss < loss_then * (1 - CHANGE):
        acc = (
            f"the training points' accuracy hardly changed: {right}"
            if train_acc - acc_then > -CHANGE
            else f"fewer training points are right: {pct(train_acc)}, from {pct(acc_then)}"
        )
        return Line(
            f"At epoch {epoch:,}: the loss is down to {loss_text(loss)}",
            facts(f"{change} since epoch {since:,}"),
            narration=f"By epoch {epoch:,} the loss is down {from_to} since epoch {since:,}, "
            f"but {acc}.{held}",
        )
    return Line(
        f"At epoch {epoch:,}: the loss has barely moved",
        facts(f"{change} since epoch {since:,}"),
        narration=f"From epoch {since:,} to epoch {epoch:,} the loss has barely moved, "
        f"{from_to}. {right}.{held}",
    )


def plateau(
    epoch: int, last: int, loss: float, final_loss: float, train_acc: float, final_acc: float
) -> Line:
    """On a linear clock, where the rest of the training changes little: from ``epoch`` to
    the ``last`` one the loss goes only from ``loss`` to ``final_loss``.

    >>> line = plateau(150, 1000, 0.331, 0.296, 0.8875, 0.8844)
    >>> line.caption
    'At epoch 150: the rest of training changes little'
    >>> line.sub
    'loss 0.331 → 0.296 at epoch 1,000 · 89 % of the training points right'
    """
    return Line(
        f"At epoch {epoch:,}: the rest of training changes little",
        _joined(
            [
                f"loss {loss_text(loss)} → {loss_text(final_loss)} at epoch {last:,}",
                f"{pct(train_acc)} of the training points right",
            ]
        ),
        narration=f"By epoch {epoch:,} the network has learnt nearly all it will: from here "
        f"to epoch {last:,} the loss only goes from {loss_text(loss)} to "
        f"{loss_text(final_loss)}, and {pct(final_acc)} of the training points end up right. "
        "On this linear clock every epoch gets the same time, so the rest of the video "
        "shows that slow finish; a log clock would spend it on the early epochs.",
    )


def spike(
    epoch: int,
    loss: float,
    first_loss: float,
    train_acc: float,
    test_acc: float | None,
    *,
    before: tuple[int, float, float],
    back: tuple[int, float] | None,
    again: bool = False,
) -> Line:
    """A sharp jump of the training loss, told at its peak, ``epoch``: where it was just
    before (``before``: the epoch, the loss and the training accuracy there), and when it
    came back down (``back``: the epoch and the loss there; None if it did not by the end).
    Every loss in the subcaption names its epoch, but the peak's (the caption's).
    ``again``: the video told an earlier jump.

    >>> line = spike(746, 0.758, 0.701, 0.865, 0.858, before=(741, 0.029, 1.0), back=(772, 0.031))
    >>> line.caption
    'At epoch 746: the loss jumps to 0.758'
    >>> line.sub
    '0.029 at epoch 741 → 0.758 → 0.031 at epoch 772 · 86 % of the training points right'
    >>> line.narration.split(". ")[1]
    'Only 86 % of the training points are right now, down from 100 %'
    >>> later = spike(798, 3.679, 0.69, 0.56, None, before=(793, 0.1, 0.97), back=None, again=True)
    >>> later.caption
    'At epoch 798: the loss jumps again, to 3.679, and never recovers'
    >>> later.narration.split(",")[0]
    'At epoch 798 the loss suddenly jumps again'
    """
    at, low, acc_then = before
    path = f"{loss_text(low)} at epoch {at:,} → {loss_text(loss)}"
    if back is not None:
        path += f" → {loss_text(back[1])} at epoch {back[0]:,}"
    above = ", above where it started" if loss > first_loss else ""
    right = f"{pct(train_acc)} of the training points are right."
    if acc_then - train_acc >= CHANGE:
        right = f"Only {right[:-1]} now, down from {pct(acc_then)}."
    held = "" if test_acc is None else f" On the held-out points, {pct(test_acc)}."
    held_sub = [] if test_acc is None else [f"{pct(test_acc)} of the held-out points right"]
    then = (
        f"By epoch {back[0]:,} it is back down to {loss_text(back[1])}."
        if back is not None
        else "It does not come back down before the end."
    )
    jumps = "jumps again" if again else "jumps"
    caption = f"At epoch {epoch:,}: the loss {jumps}{', to' if again else ' to'} {loss_text(loss)}"
    if back is None:
        caption += ", and never recovers" if again else " and never recovers"
    return Line(
        caption,
        _joined([path, f"{pct(train_acc)} of the training points right", *held_sub]),
        narration=f"At epoch {epoch:,} the loss suddenly {jumps}, from {loss_text(low)} at "
        f"epoch {at:,} to {loss_text(loss)}{above}. {right}{held} {then}",
    )


def end(
    epoch: int,
    loss: float,
    train_acc: float,
    test_acc: float | None,
    *,
    stopped_early: bool = False,
    target: float | None = None,
    diverged_at: int | None = None,
    report: DataReport | None = None,
) -> Line:
    """The last epoch: why training ended, and where it got (no better than always
    answering the largest class, if so: ``report``'s majority baseline).

    >>> end(412, 0.05, 0.98, 0.97, stopped_early=True, target=0.05).caption
    'Epoch 412: stopped early, at the target loss'
    >>> from nnmodel.datacheck import DataReport
    >>> wine = DataReport("2", 0.42, (0.8, 316.0), ("alcohol", "proline"), False, ())
    >>> end(1000, 1.08, 0.42, 0.31, report=wine).sub
    "loss 1.080 · 42 % right, no better than always answering '2' (42 %)"
    """
    result = _score(train_acc, test_acc)
    held = "" if test_acc is None else f", and {pct(test_acc)} of the held-out points"
    where = f"{pct(train_acc)} of the training points are right{held}."
    baseline = _no_better(report, train_acc)
    if baseline is not None and report is not None:
        result = f"{pct(train_acc)} right, {baseline}"
        where += (
            f" That is no better than always answering '{report.majority_class}', which "
            f"scores {pct(report.majority_acc)}."
        )
    if diverged_at is not None:
        return Line(
            f"Epoch {epoch:,}: the last finite step",
            _joined([f"the loss blew up at epoch {diverged_at:,}", result]),
            narration=f"The loss blew up at epoch {diverged_at:,}; epoch {epoch:,} was the "
            f"last finite step. There, {where}",
        )
    if stopped_early:
        caption = (
            f"Epoch {epoch:,}: stopped early, at the target loss"
            if target is not None
            else f"Epoch {epoch:,}: training stopped early"
        )
        why = (
            f"when the loss reached its target, {loss_text(loss)}"
            if target is not None
            else f"with a loss of {loss_text(loss)}"
        )
        return Line(
            caption,
            _joined([f"loss {loss_text(loss)}", result]),
            narration=f"Training stopped early at epoch {epoch:,}, {why}: {where}",
        )
    return Line(
        f"Epoch {epoch:,}: training ends",
        _joined([f"loss {loss_text(loss)}", result]),
        narration=f"Training ends at epoch {epoch:,}, with a loss of {loss_text(loss)}: {where}",
    )


#: Why each kind of problem matters, in a few words (the subcaption of its finding).
WHY = {
    "dead-unit": "{it} 0 for every point, so no gradient reaches {them}: {they} never learn again",
    "saturated-unit": "{on} a flat end of {act} for most points, where the slope is nearly 0: "
    "{they} barely learn",
    "collapsed-layer": "after it the points lie on a line: what it squashed, later layers "
    "cannot get back",
    "no-progress": "the loss barely moved: try a larger learning rate or more epochs",
}
#: Why a layer that sends every point to one place matters (its subcaption's end).
ONE_PLACE = "every point lands in one place: the layers after it cannot tell the classes apart"


def _before(layer: int) -> str:
    """The layers before hidden layer ``layer`` (0-based), which get no gradient through it.

    >>> _before(0), _before(1), _before(4)
    ('', 'layer 1', 'layers 1–4')
    """
    return "" if layer == 0 else "layer 1" if layer == 1 else f"layers 1–{layer}"


def problem_tags(
    problems: Sequence[tuple[str, int]], onto: str | None = None, vanished: bool = False
) -> tuple[str, ...]:
    """The few words drawn on a layer's picture for its problems, the most telling first:
    weights shrunk to 0 say it all; dead or saturated units say why every point lands in
    one place, so that collapse is not tagged beside them.

    >>> problem_tags([("dead-unit", 2), ("collapsed-layer", 1)], "point")
    ('2 dead ReLUs',)
    >>> problem_tags([("saturated-unit", 1), ("collapsed-layer", 1)], "line")
    ('saturated unit', 'points on a line')
    >>> problem_tags([("collapsed-layer", 1)], "point", vanished=True)
    ('weights ≈ 0',)
    """
    from scenes.narration.compare import badge

    if vanished:
        return ("weights ≈ 0",)
    units = [kind for kind, _ in problems if kind in ("dead-unit", "saturated-unit")]
    out = []
    for kind, n in problems:
        if kind == "collapsed-layer":
            if onto != "point":
                out.append("points on a line")
            elif not units:
                out.append("all in one place")
        else:
            out.append(badge(kind, count=n).text)
    return tuple(out)


def finding(
    layer: int | None,
    problems: Sequence[tuple[str, int]],
    activation: str = "",
    sentences: Sequence[str] = (),
    *,
    epoch: int | None = None,
    units: int = 0,
    onto: str | None = None,
    vanished: bool = False,
    blocks: bool = False,
    decay: bool = False,
    cause: str | None = None,
) -> Line:
    """What went wrong in one hidden layer (``layer``, 0-based) or in the run (None).

    ``problems`` are ``(kind, how many units)`` in the order to say them (a collapse has
    count 1); the subcaption says why the first one matters; the spoken line is the
    trajectory's own ``sentences`` (:func:`nnmodel.health.diagnose`), if given.

    Told while training runs, at the ``epoch`` the health check first saw it, the caption
    names that epoch. A layer of ``units`` units whose units are all dead or saturated, a
    collapse ``onto`` a single point (not a line), weights that have ``vanished`` (shrunk
    to nearly 0; by weight ``decay``, if the training had it) and a layer that ``blocks``
    the network (from here on every point gets one answer, and the layers before it no
    gradient) are each said as such; ``cause`` is a cause in the data
    (:func:`scenes.narration.warp.diagnosis`) for saturated units.

    >>> line = finding(0, [("dead-unit", 2)], "relu")
    >>> line.caption
    'Layer 1: 2 dead ReLUs'
    >>> line.sub
    'they output 0 for every point, so no gradient reaches them: they never learn again'
    >>> finding(1, [("saturated-unit", 1), ("collapsed-layer", 1)], "tanh").caption
    'Layer 2: a saturated unit, and the layer collapsed'
    >>> finding(None, [("no-progress", 1)]).caption
    'No progress'
    >>> dead = finding(4, [("dead-unit", 2), ("collapsed-layer", 1)], "relu", epoch=0,
    ...                units=2, onto="point", blocks=True)
    >>> dead.caption, dead.sub
    ('At epoch 0, layer 5: all its ReLUs are dead', \
'they output 0 for every point: one answer for all, and no gradient to layers 1–4')
    >>> gone = finding(0, [("collapsed-layer", 1)], "relu", epoch=111, units=2, onto="point",
    ...                vanished=True, decay=True)
    >>> gone.caption, gone.sub
    ('At epoch 111, layer 1: its weights have shrunk to 0', \
'no gradient holds them, so weight decay shrank them: every point lands in one place')
    """
    names = {
        "dead-unit": ("a dead ReLU", "{n} dead ReLUs"),
        "saturated-unit": ("a saturated unit", "{n} saturated units"),
        "collapsed-layer": ("the layer collapsed", "the layer collapsed"),
        "no-progress": ("no progress", "no progress"),
    }
    counts = dict(problems)
    said = []
    for kind, n in problems:
        one, many = names.get(kind, (kind.replace("-", " "), kind.replace("-", " ")))
        said.append(one if n == 1 else many.format(n=n))
    all_dead = units > 0 and counts.get("dead-unit", 0) >= units
    point = onto == "point" and "collapsed-layer" in counts
    # all saturated, said as such unless the points also fell on a line (said as well)
    all_flat = units > 0 and counts.get("saturated-unit", 0) >= units
    all_flat = all_flat and (point or "collapsed-layer" not in counts)
    act = activation or "its S-curve"
    before = "" if layer is None else _before(layer)
    gradient = f", and no gradient to {before}" if before else ""
    if layer is None:
        caption = said[0][:1].upper() + said[0][1:]
    elif vanished:
        caption = f"Layer {layer + 1}: its weights have shrunk to 0"
    elif all_dead:
        caption = f"Layer {layer + 1}: all its ReLUs are dead"
    elif all_flat:
        caption = f"Layer {layer + 1}: all its units are saturated"
    elif point and len(problems) == 1:
        caption = f"Layer {layer + 1} sends every point to one place"
    else:
        caption = f"Layer {layer + 1}: " + ", and ".join(said)
        if len(problems) == 1 and problems[0][1] > 1:
            caption = f"Layer {layer + 1}: " + said[0]
    if epoch is not None and layer is not None:
        caption = f"At epoch {epoch:,}, l{caption[1:]}"
    kind, n = problems[0]
    plural = n > 1
    why = WHY.get(kind, "").format(
        it="they output" if plural else "it outputs",
        them="them" if plural else "it",
        they="they" if plural else "it",
        on="they sit on" if plural else "it sits on",
        act=act,
    )
    if not plural and kind == "dead-unit":
        why = why.replace("it never learn", "it never learns")
    if not plural and kind == "saturated-unit":
        why = why.replace("it barely learn", "it barely learns")
    if kind == "saturated-unit" and cause:
        where = "every point" if all_flat else "most points"
        why = f"{act} is flat for {where}, as {cause}"
    if vanished:
        why = (
            "no gradient holds them, so weight decay shrank them: every point lands in one place"
            if decay
            else f"they shrank to nearly 0: {ONE_PLACE}"
        )
        if blocks:
            why = (
                "no gradient holds them, so weight decay shrank them: one answer for all"
                if decay
                else "they shrank to nearly 0: one answer for every point"
            )
    elif blocks and all_dead:
        why = f"they output 0 for every point: one answer for all{gradient}"
    elif blocks and all_flat and not cause:
        why = f"{act} is flat for every point: one answer for all{gradient}"
    elif blocks and point and not all_flat:
        why = f"after it every point looks the same: one answer for all{gradient}"
    elif point and kind == "collapsed-layer":
        why = ONE_PLACE
    said_out = " ".join(sentences)
    if layer is not None and (vanished or all_dead or all_flat or point):
        said_out = _spoken(caption, why, blocks, before)
    elif layer is not None and epoch is not None:
        said_out = " ".join([f"At epoch {epoch:,}:", *sentences])
    return Line(caption, why, narration=said_out)


def _spoken(caption: str, why: str, blocks: bool, before: str) -> str:
    """The voice's words for a whole layer gone wrong: the caption and its reason as
    sentences, and what a block means for the training."""
    said = f"{caption}. {why[:1].upper()}{why[1:]}."
    if blocks:
        said += " From here on the network gives every point the same answer"
        said += f", and no gradient flows back to {before}" if before else ""
        said += ": the loss can hardly fall."
    return said
