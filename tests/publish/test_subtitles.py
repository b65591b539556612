"""Subtitles: exact SRT and WebVTT timestamps, and cues that match the captions on screen."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scenes.publish.subtitles import Cue, to_srt, to_vtt
from scenes.render import pipeline as r

#: Captions are centred horizontally in the upper half of the frame (the side panel's texts are
#: right of x = 3, the title and end cards of the explainer are not in the warp scene).
CAPTION_HALF_WIDTH = 0.5
#: Cue times are written to the millisecond.
MS = 1e-3


def _stamp_pattern(sep: str) -> re.Pattern[str]:
    stamp = r"\d{2}:\d{2}:\d{2}" + re.escape(sep) + r"\d{3}"
    return re.compile(rf"^({stamp}) --> ({stamp})$")


SRT_TIMING = _stamp_pattern(",")
VTT_TIMING = _stamp_pattern(".")


def _seconds(stamp: str) -> float:
    h, m, rest = stamp.split(":")
    s, ms = re.split(r"[,.]", rest)
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


@dataclass(frozen=True)
class Parsed:
    """One cue as written: its two timestamps verbatim, and its text."""

    start: str
    end: str
    text: str

    def cue(self) -> Cue:
        return Cue(_seconds(self.start), _seconds(self.end), self.text)


def parse_srt(text: str) -> list[Parsed]:
    """SubRip blocks: a running number, a timing line, text lines, then a blank line."""
    out = []
    for n, block in enumerate(text.strip("\n").split("\n\n"), 1):
        lines = block.split("\n")
        assert lines[0] == str(n), f"SRT block {n} is numbered {lines[0]!r}"
        match = SRT_TIMING.match(lines[1])
        assert match, f"bad SRT timing line {lines[1]!r}"
        assert len(lines) > 2, f"SRT block {n} has no text"
        out.append(Parsed(match[1], match[2], "\n".join(lines[2:])))
    return out


def parse_vtt(text: str) -> list[Parsed]:
    """WebVTT cues, found by their ``-->`` timing line (whatever blocks come before them)."""
    lines = text.split("\n")
    assert lines[0] == "WEBVTT"
    out = []
    for i, line in enumerate(lines):
        if "-->" not in line:
            continue
        match = VTT_TIMING.match(line)
        assert match, f"bad WebVTT timing line {line!r}"
        assert lines[i - 1] == "", "a WebVTT cue must follow a blank line"
        body = []
        for follow in lines[i + 1 :]:
            if not follow:
                break
            body.append(follow)
        assert body, f"WebVTT cue {line!r} has no text"
        out.append(Parsed(match[1], match[2], "\n".join(body)))
    return out


CUES = [
    Cue(0.0, 1.5, "Hello"),
    Cue(1.5, 61.0006, "two lines\nof text"),
    Cue(59.9996, 3599.9999, "rounding carries into the minutes and the hours"),
    Cue(3723.456, 36000.0, "hours, minutes, seconds, milliseconds"),
    Cue(-0.2, 0.0004, "before the start: clamped to zero"),
]
STAMPS = [
    ("00:00:00{}000", "00:00:01{}500"),
    ("00:00:01{}500", "00:01:01{}001"),
    ("00:01:00{}000", "01:00:00{}000"),
    ("01:02:03{}456", "10:00:00{}000"),
    ("00:00:00{}000", "00:00:00{}000"),
]


@pytest.mark.parametrize(
    ("render", "parse", "sep"), [(to_srt, parse_srt, ","), (to_vtt, parse_vtt, ".")]
)
def test_timestamps_are_exact_to_the_millisecond(render: Any, parse: Any, sep: str) -> None:
    """SRT writes ``00:00:01,500``, WebVTT ``00:00:01.500`` (a comma there is invalid)."""
    parsed = parse(render(CUES))
    assert [(p.start, p.end) for p in parsed] == [(a.format(sep), b.format(sep)) for a, b in STAMPS]
    assert [p.text for p in parsed] == [c.text for c in CUES]


def test_vtt_timing_lines_have_no_comma_and_srt_ones_no_dot() -> None:
    vtt, srt = to_vtt(CUES), to_srt(CUES)
    vtt_timings = [line for line in vtt.split("\n") if "-->" in line]
    srt_timings = [line for line in srt.split("\n") if "-->" in line]
    assert len(vtt_timings) == len(srt_timings) == len(CUES)
    assert not any("," in line for line in vtt_timings)
    assert not any("." in line for line in srt_timings)
    assert [line.replace(".", ",") for line in vtt_timings] == srt_timings


# --------------------------------------------------------------------------- a real render


def on_screen_caption(scene: Any) -> str:
    """The caption and subcaption visible now (centred, upper half of the frame), one per line."""
    from scenes.mobjects.textcache import Outlines

    shown = []
    for m in scene.get_mobject_family_members():
        if not isinstance(m, Outlines):
            continue
        x, y, _ = m.get_center()
        if abs(x) > CAPTION_HALF_WIDTH or y < 0:
            continue
        glyphs = m.family_members_with_points()
        if glyphs and max(g.get_fill_opacity() for g in glyphs) > 0.5:
            shown.append((-y, m.text))
    return "\n".join(t for _, t in sorted(shown))


@dataclass
class Rendered:
    """What a small render of the warp scene wrote and showed."""

    srt: list[Parsed]
    vtt: list[Parsed]
    cues: list[Cue]
    #: Every play (and wait) of the scene: (start time, end time, caption on screen after it).
    plays: list[tuple[float, float, str]]


@pytest.fixture(scope="module")
def rendered(one_layer_traj: Path, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    folder = tmp_path_factory.mktemp("subtitles")
    out = folder / "warp.mp4"
    plays: list[tuple[float, float, str]] = []
    seen: dict[str, Any] = {}

    def spy(scene: Any) -> None:
        play = scene.play  # Scene.wait plays a Wait through self.play as well

        def recording_play(*args: Any, **kwargs: Any) -> None:
            start = float(scene.renderer.time)
            play(*args, **kwargs)
            plays.append((start, float(scene.renderer.time), on_screen_caption(scene)))

        scene.play = recording_play
        seen["scene"] = scene

    opts = r.RenderOptions(
        scene="warp",
        resolution=(64, 36),
        fps=4,
        output=out,
        media_dir=folder / "media",
        progress=False,
    )
    r.render(one_layer_traj, opts, on_scene=spy)
    return Rendered(
        parse_srt(out.with_suffix(".srt").read_text(encoding="utf-8")),
        parse_vtt(out.with_suffix(".vtt").read_text(encoding="utf-8")),
        list(seen["scene"].cues),
        plays,
    )


def test_the_subtitle_files_hold_the_scene_cues(rendered: Rendered) -> None:
    assert len(rendered.cues) >= 8
    for written in (rendered.srt, rendered.vtt):
        assert [p.cue().text for p in written] == [c.text for c in rendered.cues]
        for p, c in zip(written, rendered.cues, strict=True):
            assert p.cue().start == pytest.approx(c.start, abs=MS)
            assert p.cue().end == pytest.approx(c.end, abs=MS)
    starts = [p.cue().start for p in rendered.srt]
    assert starts == sorted(starts) and starts[0] == 0.0


def test_each_cue_is_on_screen_exactly_while_its_caption_is(rendered: Rendered) -> None:
    """Every play inside a cue's time span ends with that cue's caption on screen."""
    cues = [p.cue() for p in rendered.srt]
    plays = rendered.plays
    assert plays and any(caption for _, _, caption in plays), "no caption was ever seen"

    def within(cue: Cue, t0: float, t1: float) -> bool:
        return cue.start - MS <= t0 and t1 <= cue.end + MS

    for cue in cues:
        inside = [caption for t0, t1, caption in plays if within(cue, t0, t1)]
        assert inside, f"no part of the video lies inside cue {cue}"
        assert set(inside) == {cue.text}, f"cue {cue} while the screen shows {set(inside)}"
    # and the other way round: a caption on screen has its cue (the scene's last 0.5 s wait,
    # after the cues are closed, is left out)
    for t0, t1, caption in plays:
        if t1 > cues[-1].end + MS:
            continue
        covering = [c for c in cues if within(c, t0, t1)]
        if caption:
            assert [c.text for c in covering] == [caption], f"{t0:.2f}-{t1:.2f}s: {caption!r}"
        else:
            assert not covering, f"{t0:.2f}-{t1:.2f}s: no caption but cue {covering}"
