"""The shared clock: the log-ish map from epochs to time, and each run on it."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.compare.clock import KNEE_FRACTION, Clock, Track, loss_curve, nice_ticks


@pytest.mark.parametrize("last", [1, 7, 40, 200, 3000, 100_000])
def test_the_clock_runs_from_epoch_0_to_the_last_and_back(last: int) -> None:
    clock = Clock.for_epochs(last)
    epochs = np.linspace(0, last, 997)
    u = clock.at_epoch(epochs)
    assert u[0] == 0.0 and u[-1] == pytest.approx(1.0)
    assert np.all(np.diff(u) > 0)  # strictly later epochs, strictly later times
    assert np.allclose(clock.epoch_at(u), epochs, rtol=1e-9, atol=1e-9 * last)
    assert clock.at_epoch(-5) == 0.0 and clock.at_epoch(last * 2) == pytest.approx(1.0)
    assert clock.epoch_at(2.0) == last


def test_early_epochs_get_more_time_than_late_ones_but_epoch_1_not_too_much() -> None:
    clock = Clock.for_epochs(200)
    # log-ish: the first 20 epochs take far more time than the last 20 ...
    assert clock.at_epoch(20) - clock.at_epoch(0) > 5 * (clock.at_epoch(200) - clock.at_epoch(180))
    # ... yet the very first epoch is not a tenth of the clock (as in a pure log(1 + e))
    assert clock.at_epoch(1) < 0.06 < np.log1p(1) / np.log1p(200)
    assert clock.knee == 200 * KNEE_FRACTION
    # a run 15× longer fills the same clock: its last doubling takes a similar share
    long = Clock.for_epochs(3000)
    share = float(1 - long.at_epoch(1500))
    assert 0.1 < share < 0.3 and abs(share - float(1 - clock.at_epoch(100))) < 0.05


def test_ticks_are_round_ordered_and_apart() -> None:
    for last in (1, 40, 200, 3000, 100_000):
        clock = Clock.for_epochs(last)
        ticks = nice_ticks(clock, 0.07)
        assert ticks[0] == 0 and ticks[-1] == last
        u = clock.at_epoch(ticks)
        assert np.all(np.diff(u) >= 0.07 - 1e-12)
        inner = ticks[1:-1]
        assert all(int(str(t)[0]) in (1, 2, 5) and set(str(t)[1:]) <= {"0"} for t in inner)


def test_a_track_freezes_at_its_last_epoch_and_blends_its_snapshots() -> None:
    epochs = [0, 1, 2, 4, 9, 20]
    loss = [1.0 - e / 40 for e in range(21)]
    track = Track.of(epochs, loss, [e / 20 for e in range(21)])
    clock = Clock.for_epochs(100)  # a longer run sets the clock
    assert track.last == 20 and not track.frozen(19.9) and track.frozen(20) and track.frozen(70)
    assert track.loss_at(70) == loss[20] and track.acc_at(3.7) == 3 / 20
    previous = (0, 0, 0.0)
    for e in np.linspace(0, 100, 400):
        s0, s1, w = track.blend(clock, float(e))
        assert 0 <= w <= 1 and s1 in (s0, s0 + 1)
        assert (s0, w) >= (previous[0], previous[2]) or s0 > previous[0]  # never backwards
        previous = (s0, s1, w)
        if e >= 20:
            assert (s0, s1, w) == (5, 5, 0.0)  # frozen on the last snapshot
    for s, e in enumerate(epochs[:-1]):  # at a snapshot's epoch, that snapshot alone
        assert track.blend(clock, e) == (s, s + 1, 0.0)


def test_a_track_needs_two_snapshots_and_fills_missing_numbers() -> None:
    with pytest.raises(ValueError, match="at least 2 snapshots"):
        Track.of([0], [0.5], [0.5])
    track = Track.of([0, 3], [None, 0.7, None, float("nan")], [0.4, None, 0.5, 0.6])
    assert np.isnan(track.loss[0]) and list(track.loss[1:]) == [0.7, 0.7, 0.7]
    assert list(track.acc) == [0.4, 0.4, 0.5, 0.6]


def test_the_loss_curve_follows_the_clock_and_ends_with_its_run() -> None:
    track = Track.of([0, 10], [1 / (1 + e) for e in range(11)], [0.5] * 11)
    clock = Clock.for_epochs(50)
    u, loss = loss_curve(track, clock, samples=64)
    assert u[0] == 0 and u[-1] == 1 and len(loss) == 64
    ended = clock.epoch_at(u) > 10
    assert np.all(np.isnan(loss[ended])) and not np.any(np.isnan(loss[~ended]))
    assert np.all(np.diff(loss[~ended]) <= 0)  # this loss only falls
