"""The clock: epochs to screen time and back, for the log and the linear mapping."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.evolution.timing import Clock, snapshot_gaps


@pytest.mark.parametrize("mapping", ["log", "linear"])
@pytest.mark.parametrize("last", [1, 7, 1000, 100_000])
def test_the_clock_runs_from_the_first_to_the_last_epoch_and_back(mapping: str, last: int) -> None:
    clock = Clock(last, mapping, 20.0)
    assert clock.fraction(0) == 0.0 and clock.fraction(last) == 1.0
    assert clock.seconds(last) == pytest.approx(20.0)
    epochs = np.linspace(0, last, 501)
    u = clock.fraction(epochs)
    assert np.all(np.diff(u) > 0), "later epochs come later"
    assert np.allclose(clock.epoch(u), epochs, rtol=1e-9, atol=1e-9 * last)
    assert clock.fraction(-5) == 0.0 and clock.fraction(last + 5) == 1.0  # clipped


def test_linear_time_gives_every_epoch_the_same_time() -> None:
    clock = Clock(200, "linear", 10.0)
    steps = np.diff(clock.fraction(np.arange(201))) * clock.duration
    assert np.allclose(steps, 10.0 / 200)


def test_log_time_gives_every_decade_past_the_knee_the_same_time() -> None:
    clock = Clock(100_000, "log", 30.0, knee=1.0)
    decades = [clock.seconds(10.0 ** (k + 1)) - clock.seconds(10.0**k) for k in range(2, 5)]
    assert max(decades) / min(decades) < 1.01
    assert sum(decades) < 30.0 * 0.61  # 3 of the 5 decades


def test_the_default_knee_gives_the_last_two_decades_most_of_the_time() -> None:
    clock = Clock(1000)
    assert clock.k == 10.0
    assert clock.fraction(10) == pytest.approx(np.log(2) / np.log(101))
    assert 1 - clock.fraction(100) == pytest.approx(0.48, abs=0.01)  # the last decade: half
    assert Clock(50).k == 1.0  # never below one epoch


def test_the_log_clock_is_slow_early_and_fast_late() -> None:
    log, linear = Clock(1000, "log"), Clock(1000, "linear")
    assert log.seconds(20) > 5 * linear.seconds(20)
    assert log.seconds(1000) - log.seconds(900) < (linear.seconds(1000) - linear.seconds(900)) / 4


def test_frames_are_whole_and_snapshot_gaps_add_up() -> None:
    clock = Clock(1000, "log", 24.0)
    assert clock.frames(15) == 360 and clock.frames(60) == 1440
    gaps = snapshot_gaps([0, 1, 10, 100, 1000], clock)
    assert gaps.sum() == pytest.approx(24.0) and np.all(gaps > 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"last_epoch": 10, "mapping": "cubic"}, "unknown time mapping"),
        ({"last_epoch": 0}, "at least one epoch"),
        ({"last_epoch": 10, "duration": 1.0}, "between 4 and 600 seconds"),
        ({"last_epoch": 10, "knee": 0.0}, "knee must be positive"),
    ],
)
def test_a_bad_clock_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Clock(**kwargs)  # type: ignore[arg-type]
