"""scenes.notebook: the Video's inline HTML, the API's checks, one line per mistake."""

from __future__ import annotations

import base64
import traceback
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import av
import pytest

from nnmodel.errors import ConfigError, NnwarpError, OutputError
from scenes import notebook as nw
from scenes.errors import RenderError
from scenes.story import StoryError

TINY: dict[str, Any] = {"resolution": (64, 36), "fps": 2}


def tags(page: str) -> dict[str, dict[str, str | None]]:
    """The first tag of each name in ``page``, with its attributes (as a browser reads them)."""
    found: dict[str, dict[str, str | None]] = {}

    class Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.setdefault(tag, dict(attrs))

    Parser().feed(page)
    return found


def decoded(url: str | None) -> tuple[str, bytes]:
    assert url is not None
    head, _, payload = url.partition(",")
    assert head.startswith("data:") and head.endswith(";base64")
    return head[5 : -len(";base64")], base64.b64decode(payload)


@pytest.fixture
def video(tmp_path: Path) -> nw.Video:
    mp4, vtt = tmp_path / "Explainer.mp4", tmp_path / "Explainer.vtt"
    mp4.write_bytes(b"\x00\x00\x00\x20ftypisom not really a video")
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nW turns the plane <35°> & more\n", "utf-8")
    return nw.Video(mp4, 1.0, subtitles=vtt, sections=(nw.Section("Introduction", 0.0, 1.0),))


def test_a_small_video_is_embedded_with_its_subtitles_as_a_track(video: nw.Video) -> None:
    assert video._repr_html_() == video.html()
    page = tags(video.html())
    assert "controls" in page["video"]
    assert decoded(page["source"]["src"]) == ("video/mp4", video.path.read_bytes())
    assert page["source"]["type"] == "video/mp4"
    track = page["track"]
    assert track["kind"] == "subtitles" and "default" in track
    assert video.subtitles is not None
    assert decoded(track["src"]) == ("text/vtt;charset=utf-8", video.subtitles.read_bytes())


def test_a_large_video_is_linked_by_its_path_relative_to_the_notebook(
    video: nw.Video, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path.parent)
    monkeypatch.setattr(nw, "EMBED_LIMIT", video.path.stat().st_size - 1)
    page = tags(video.html())
    assert page["source"]["src"] == f"{tmp_path.name}/Explainer.mp4"
    assert decoded(page["track"]["src"])[0] == "text/vtt;charset=utf-8"  # still embedded
    monkeypatch.setattr(nw, "EMBED_LIMIT", video.path.stat().st_size)
    assert str(tags(video.html())["source"]["src"]).startswith("data:video/mp4;base64,")


def test_a_file_name_cannot_break_out_of_the_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = "a \"quoted\" <b>&amp; 'odd' name.webm"
    page = nw.Video(Path(name), 2.0).html(embed=False)
    assert page.count("<") == page.count(">") == 3  # <video>, <source>, </video> and no more
    source = tags(page)["source"]
    assert unquote(str(source["src"])) == name
    assert source["type"] == "video/webm"
    assert "track" not in tags(page)  # no subtitles, no track


def test_nnwarp_errors_show_as_one_line_without_manims_traceback(tmp_path: Path) -> None:
    with pytest.raises(RenderError) as info:
        nw.render("explainr", trajectory=tmp_path / "x.npz")
    err = info.value
    assert "did you mean 'explainer'?" in str(err)
    assert err.__dict__["_render_traceback_"]() == [f"RenderError: {err}"]  # what IPython prints
    frames = [f.filename for f in traceback.extract_tb(err.__traceback__)]
    assert all(name in (__file__, nw.__file__) for name in frames)
    assert err.__cause__ is None and err.__suppress_context__


def test_unexpected_failures_become_one_line_naming_the_saved_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr(nw, "_story", broken)
    with pytest.raises(RenderError, match=r"unexpected error \(ZeroDivisionError: deep") as info:
        nw.render_story("scenes = ['warp']")
    saved = Path(str(info.value).split("details are in ")[1].split(":")[0])
    assert "ZeroDivisionError" in saved.read_text()
    saved.unlink()
    monkeypatch.setenv("NNWARP_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        nw.render_story("scenes = ['warp']")


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"scene": "compare"}, RenderError, "nnwarp render compare"),
        ({"scene": "anatomy", "sampel": 3}, RenderError, "(did you mean 'sample'?)"),
        ({"sample": 3}, RenderError, "no option 'sample' (sample is an option of anatomy)"),
        ({"color_by": "colour"}, RenderError, "choose class or position"),
        ({"config": {"hiden": [8, 2]}}, RenderError, "did you mean 'hidden'?"),
        ({"config": {"epochs": "many"}}, RenderError, "'many' is not a valid integer"),
        ({"config": {"dataset": "moon"}}, RenderError, "neither a built-in dataset"),
        ({"config": {"activation": "relu6"}}, ConfigError, "unknown activation 'relu6'"),
        ({"config": "moons"}, RenderError, "a RunConfig or a dict"),
        ({"output": "lesson.gif"}, RenderError, "name it lesson.mp4"),
        ({"output": "lesson.webm", "voice": "espeak"}, RenderError, "has no sound"),
        ({"voice": "hibary"}, RenderError, "did you mean 'hibari'?"),
        ({"resolution": (320,)}, RenderError, "not (width, height)"),
        ({"resolution": (321, 180)}, RenderError, "odd side"),
        ({"quality": "x"}, RenderError, "unknown quality 'x'"),
        ({"jobs": 0}, RenderError, "1 or more"),
    ],
)
def test_mistakes_are_refused_before_any_work(
    kwargs: dict[str, Any],
    error: type[NnwarpError],
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error) as info:
        nw.render(**kwargs)
    assert words in str(info.value)
    assert not (tmp_path / "media").exists()  # nothing trained, nothing written


def test_a_trained_network_and_training_options_are_one_or_the_other(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    with pytest.raises(RenderError, match="one or the other"):
        nw.render("warp", trajectory=one_layer_traj, config={"epochs": 5})


def test_a_bad_jobs_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NNWARP_JOBS", "many")
    with pytest.raises(RenderError, match="NNWARP_JOBS='many'"):
        nw.render("warp", trajectory="x.npz")


@pytest.mark.parametrize("value", ["many", "0", "-2"])
def test_a_bad_jobs_variable_is_blamed_with_the_values_it_takes(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """NNWARP_JOBS=0 was blamed on a jobs= nobody gave."""
    monkeypatch.setenv("NNWARP_JOBS", value)
    with pytest.raises(RenderError) as caught:
        nw.render("warp", trajectory="x.npz")
    assert str(caught.value) == (
        f"the environment variable NNWARP_JOBS={value!r} is not a number of processes: it "
        "takes a whole number, 1 or more (1: no other process); change it, or unset it (1), "
        "or give jobs="
    )


def test_a_story_text_with_a_mistake_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(StoryError, match=r"<story>:3: \[render\] quality") as info:
        nw.render_story('scenes = ["warp"]\n[render]\nquality = "x"\n')
    assert info.value.__dict__["_render_traceback_"]()[0].startswith("StoryError: <story>:3:")
    with pytest.raises(TypeError, match="qualty"):  # a misspelt keyword: Python's own error
        nw.render_story('scenes = ["warp"]\n', qualty="l")  # type: ignore[call-arg]
    with pytest.raises(StoryError, match="no such story file"):
        nw.render_story(tmp_path / "missing.toml")


def test_a_users_file_is_never_overwritten_and_nothing_is_trained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "lesson.mp4"
    mine.write_bytes(b"my own video")
    with pytest.raises(OutputError, match="lesson.mp4"):
        nw.render("warp", config={"epochs": 3, "samples": 40}, output=mine)
    assert mine.read_bytes() == b"my own video"
    assert not list(tmp_path.rglob("*.npz"))  # refused before training


def test_a_render_returns_the_video_and_leaves_manims_config_as_it_was(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    import manim

    keys = ("pixel_width", "pixel_height", "frame_rate", "media_dir", "format", "progress_bar")
    before = {k: manim.config[k] for k in keys}
    out = tmp_path / "warp.mp4"
    video = nw.render("warp", trajectory=one_layer_traj, output=out, sections=["Separator"], **TINY)
    assert {k: manim.config[k] for k in keys} == before
    assert video.path == out and video.voice is None
    assert [s.name for s in video.sections] == ["Separator"]
    assert video.subtitles == out.with_suffix(".vtt") and video.subtitles.is_file()
    with av.open(str(out)) as container:
        assert container.duration is not None
        assert abs(container.duration / 1e6 - video.duration) <= 1 / TINY["fps"]
        assert (container.streams.video[0].width, container.streams.video[0].height) == (64, 36)
    again = nw.render(
        "warp",
        trajectory=one_layer_traj,
        output=out,
        sections=["Separator"],
        fps=4,
        resolution=(64, 36),
    )
    assert again.path == out  # nnwarp's own earlier output is replaced
    with av.open(str(out)) as container:
        assert container.streams.video[0].average_rate == 4
