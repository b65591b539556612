"""The arithmetic on screen checks out with the numbers shown: a student who redoes
``−ln 0.51`` or ``1.66·(−0.48) − 0.89·0.31 + 1.55`` gets what the screen says. Every equation
of the captions, subcaptions and tables is parsed and evaluated from its written numbers;
numbers are written with two decimals (never ``4.0e−10``; what rounds to zero is ``0.00``),
an equation's inputs with more only where two would not check out, and ``≈`` only where
even four would not."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from nnmodel import activations
from nnmodel.trajectory import Trajectory, load
from scenes.anatomy.plan import Facts, anatomy_plan, gather
from scenes.narration.anatomy import num
from tests.anatomy.anatomy_helpers import train_net

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
#: How many points of each network to follow (evenly spread over its points).
SAMPLES = 24


def _act(name: str) -> Callable[[float], float]:
    f = activations.get(name)
    return lambda v: float(f(np.array(v, np.float64)))


FUNCS: dict[str, Callable[[float], float]] = {
    "ln": math.log,
    "SIG": lambda v: 1 / (1 + math.exp(-v)),
    **{name: _act(name) for name in ("tanh", "relu", "sigmoid", "elu", "softplus", "leaky_relu")},
}
#: What an equation's side may hold besides numbers, operators and these functions.
CALLS = re.compile(r"\b(?:ln|tanh|relu|sigmoid|elu|softplus|leaky_relu|SIG)\(")
NUMBER = r"−?\d+(?:\.\d+)?"


def decimals(s: str) -> int:
    """How many decimals a written number has."""
    return len(s.split(".")[1]) if "." in s else 0


def fixed(v: float, digits: int) -> str:
    """``v`` as the screen writes it with ``digits`` decimals (no sign on zero)."""
    s = f"{v:.{digits}f}"
    return (s.lstrip("-") if float(s) == 0 else s).replace("-", "−")


def evaluate(side: str) -> float | None:
    """The value of one side of an equation as written (``1.66·(−0.48) − 0.89·0.31``,
    ``−ln 0.507``, ``tanh(0.47)``), or None if it is symbolic (``p − y``, ``dL/dz``)."""
    s = side.strip().replace("leaky relu(", "leaky_relu(").replace("σ(", "SIG(")
    s = re.sub(r"−ln (" + NUMBER + ")", r"−ln(\1)", s)
    if re.search(r"[^\d.\s()+·×−]", CALLS.sub("", s)) or not re.search(r"\d", s):
        return None
    py = s.replace("−", "-").replace("·", "*").replace("×", "*")
    return float(eval(py, {"__builtins__": {}}, FUNCS))  # noqa: S307 (our own screen text)


def chains(line: str) -> Iterator[str]:
    """The equations in a caption or subcaption: its pieces between ``, then ``, ``: ``
    and ``→`` that hold an ``=`` or ``≈``."""
    for piece in re.split(r", then |: | → ", line):
        if " = " in piece or " ≈ " in piece:
            yield piece


def check(chain: str) -> None:
    """Every numeric side of ``chain`` gives its last side, written as that is written;
    with ``≈``: close to it, and two decimals would not have checked out."""
    sides = re.split(r" [=≈] ", chain)
    last = sides[-1].strip().rstrip(".")
    if not re.fullmatch(NUMBER, last):
        return
    target = float(last.replace("−", "-"))
    for side in sides[:-1]:
        v = evaluate(side)
        if v is None:
            continue
        if "≈" in chain:
            assert abs(v - target) <= 0.02 * max(1.0, abs(target)), chain
            assert fixed(v, decimals(last)) != last, f"needless ≈: {chain}"
        else:
            assert fixed(v, decimals(last)) == last, f"{chain}: the left side gives {v}"


def check_tables(f: Facts) -> int:
    """Each table's rows satisfy its header's equation with the numbers written; how many
    rows were checked."""
    from scenes.anatomy.tables import backward_table, error_table, forward_table

    checked = 0
    for layer in range(len(f.acts)):
        t = forward_table(f, layer)  # h = act(z)
        rel, call = t.head[2].split(" ", 2)[1:]
        for _, z, h in t.rows:
            check(f"{call.replace('(z)', f'({z})')} {rel} {h}")
            checked += 1
    for layer in range(1, len(f.weights)):
        t = backward_table(f, layer)  # δ = Wᵀδ × slope
        rel = "≈" if t.head[3].startswith("≈") else "="
        for _, up, slope, delta in t.rows:
            check(f"{up}·({slope}) {rel} {delta}")
            checked += 1
    t = error_table(f, ["a"] * len(f.point.probs))  # δ = p − y
    rel = "≈" if "≈" in t.head[3] else "="
    for _, p, y, delta in t.rows:
        check(f"{p} − {y} {rel} {delta}")
        checked += 1
    return checked


@pytest.fixture(scope="module")
def nets(
    tmp_path_factory: pytest.TempPathFactory,
    moons_traj: Path,
    wide_traj: Path,
    wide8_traj: Path,
    wine_traj: Path,
    dogs_traj: Path,
) -> dict[str, Trajectory]:
    folder = tmp_path_factory.mktemp("nets")
    paths = {"golden": GOLDEN, "moons": moons_traj, "wide": wide_traj, "wide8": wide8_traj}
    paths |= {"wine": wine_traj, "dogs": dogs_traj}
    paths |= {name: train_net(name, folder) for name in ("xor_relu", "deep_tanh", "spiral_wide")}
    return {name: load(path) for name, path in paths.items()}


NAMES = ["golden", "moons", "wide", "wide8", "wine", "dogs", "xor_relu", "deep_tanh", "spiral_wide"]


def followed(traj: Trajectory) -> Iterator[Facts]:
    """The facts of :data:`SAMPLES` points of ``traj``, evenly spread, and its last."""
    n = len(traj.inputs)
    for sample in sorted({*range(0, n, max(1, n // SAMPLES)), n - 1}):
        yield gather(traj, -1, sample)


@pytest.mark.parametrize("name", NAMES)
def test_every_equation_of_the_captions_checks_out_with_the_numbers_shown(
    nets: dict[str, Trajectory], name: str
) -> None:
    traj = nets[name]
    seen = 0
    for f in followed(traj):
        for beat in anatomy_plan(traj, f):
            for text in (beat.line.caption, beat.line.sub):
                assert not re.search(r"\de[−-]?\d", text), text  # no scientific notation
                for chain in chains(text):
                    check(chain)
                    seen += 1
    assert seen >= 3 * SAMPLES  # the forward, output and error equations of every point


@pytest.mark.parametrize("name", NAMES)
def test_every_table_row_checks_out_with_the_numbers_shown(
    nets: dict[str, Trajectory], name: str
) -> None:
    rows = sum(check_tables(f) for f in followed(nets[name]))
    assert rows >= 3 * SAMPLES


def test_the_checker_catches_what_the_screen_used_to_show() -> None:
    with pytest.raises(AssertionError):
        check("loss = −ln 0.51 = 0.68")  # −ln 0.51 = 0.673
    with pytest.raises(AssertionError):
        check("z = 1.66·(−0.48) − 0.89·0.31 + 1.55 = 0.47")  # gives 0.48
    check("loss = −ln 0.507 = 0.68")
    check("z = 1.661·(−0.484) − 0.891·0.308 + 1.547 = 0.47")
    check("p(class 1) = σ(0.54) = 0.63")
    assert num(4.0e-10) == "0.00" and num(-8.8e-8) == "0.00" and num(0.00049) == "0.00"
