"""Speed of the offline voices: seconds of speech made per second of synthesis, side by side.

Run: ``.venv/bin/python bench/bench_voice.py`` (or ``make bench``). For each installed engine
(hibari, espeak-ng), after one warm-up call that loads it, the same sentences are spoken in
interleaved rounds (the engines take turns, so machine noise hits both alike). Printed per
engine: load time, the real-time factor (audio seconds / synthesis seconds; above 1 is
faster than real time) of the engine alone and of nnwarp's whole clip pipeline (engine +
resampling + trimming + loudness), best and median over rounds, and the same for CPU time
(this process and its children, so espeak-ng's own process counts). Nothing is cached.
Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable

from scenes.voice.clip import SAMPLE_RATE, finish
from scenes.voice.engine import Engine
from scenes.voice.engines import ENGINES
from scenes.voice.loudness import TARGET

SENTENCES = (
    "Layer one turns the plane thirty five degrees and stretches it 2.3 times along one direction.",
    "Then it squeezes the plane to 0.4 times along the other direction.",
    "The tanh squashes every coordinate into the square from minus one to one.",
    "After the second layer, a straight line separates the two classes: accuracy is 100 percent.",
    "Watch the red points slide past the blue ones.",
)


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _engine_only(engine: Engine, text: str) -> float:
    audio = engine.speak(text, engine.default_voice, 1.0)
    return len(audio.samples) / audio.rate


def _whole_clip(engine: Engine, text: str) -> float:
    return len(finish(engine.speak(text, engine.default_voice, 1.0), TARGET)) / SAMPLE_RATE


def _timed(
    work: Callable[[Engine, str], float], engine: Engine, text: str
) -> tuple[float, float, float]:
    """``(audio seconds, wall seconds, cpu seconds)`` of one call of ``work``."""
    wall, cpu = time.perf_counter(), _cpu()
    audio = work(engine, text)
    return audio, time.perf_counter() - wall, _cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the sentences")
    args = parser.parse_args()
    names = [n for n in ("hibari", "espeak") if ENGINES[n].available()]
    if not names:
        print("no voice is installed (pip install hibari-tts, apt-get install espeak-ng)")
        return 1
    for missing in {"hibari", "espeak"} - set(names):
        print(f"skipped {missing}: not installed ({ENGINES[missing].install})", file=sys.stderr)

    loads: dict[str, float] = {}
    for name in names:
        engine = ENGINES[name]
        start = time.perf_counter()
        engine.speak("Warm up.", engine.default_voice, 1.0)
        loads[name] = time.perf_counter() - start

    rows: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
    for _ in range(args.rounds):
        for name in names:
            raw = [_timed(_engine_only, ENGINES[name], text) for text in SENTENCES]
            full = [_timed(_whole_clip, ENGINES[name], text) for text in SENTENCES]
            for what, runs in (("engine", raw), ("clip", full)):
                total = tuple(sum(r[i] for r in runs) for i in range(3))
                rows.setdefault((name, what), []).append((total[0], total[1], total[2]))

    print(f"{len(SENTENCES)} sentences, {args.rounds} rounds; x real time = audio s / synthesis s")
    head = f"{'engine':<8} {'what':<7} {'load s':>7} {'audio s':>8}"
    print(f"{head} {'x real time (best, median)':>27} {'x real time cpu (best, median)':>31}")
    for (name, what), runs in rows.items():
        audio = runs[0][0]
        wall = [a / w for a, w, _ in runs]
        cpu = [a / c for a, _, c in runs if c > 0]
        print(
            f"{name:<8} {what:<7} {loads[name]:7.2f} {audio:8.1f} "
            f"{max(wall):13.1f} {statistics.median(wall):13.1f} "
            f"{max(cpu):15.1f} {statistics.median(cpu):15.1f}"
        )
    if len(names) == 2:
        best = {n: max(a / w for a, w, _ in rows[n, "clip"]) for n in names}
        print(f"hibari / espeak speed (clips, best): {best['hibari'] / best['espeak']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
