"""An explainer's end card signs the video off ("made with nnwarp") only when it ends the
video: before another scene of a story it sums its part up and the video goes on."""

from __future__ import annotations

import json
from pathlib import Path

import av
from click.testing import CliRunner

from scenes.cli import main
from scenes.core.timeline import Beat
from scenes.narration.text import Line
from scenes.render.parallel import beat_key
from scenes.render.pipeline import RenderOptions
from scenes.story import closing

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def test_a_scene_before_another_loses_its_sign_off_and_its_cached_frames_differ() -> None:
    plan = [Beat("regions", "Back", Line("Regions"), 2.0), Beat("end", "Back", Line("E"), 3.0)]
    last, before = closing(plan, last=True), closing(plan, last=False)
    assert last[1].data.get("sign_off", True) and before[1].data["sign_off"] is False
    assert before[0] == plan[0]  # only the end card changes
    opts = RenderOptions(scene="explainer", quality="l")
    # the section cache must not hand a signed-off card to a story that goes on
    assert beat_key(last, "end", opts, "t", "c") != beat_key(before, "end", opts, "t", "c")
    assert beat_key(last, "regions", opts, "t", "c") == beat_key(before, "regions", opts, "t", "c")


def end_card_accent(tmp_path: Path, scenes: str) -> float:
    """The share of yellow pixels on the explainer's end card, held: the sign-off is in
    the accent colour (yellow), nothing else on the card is."""
    folder = tmp_path / scenes.replace('"', "").replace(", ", "-").strip("[]")
    folder.mkdir()
    story = folder / "s.toml"
    story.write_text(
        f'scenes = {scenes}\ntrajectory = "{GOLDEN}"\n\n'
        '[render]\nresolution = [320, 180]\nfps = 4\n\n[voice]\nengine = "none"\n',
        encoding="utf-8",
    )
    res = CliRunner().invoke(
        main, ["render", str(story), "--quiet", "--no-cache", "--media-dir", str(folder / "m")]
    )
    assert res.exit_code == 0, res.output
    doc = json.loads((folder / "s.sections.json").read_text())
    end = next(b for b in doc["beats"] if b["id"] == "end")
    at = end["end"] - 0.3  # the card, held
    with av.open(str(folder / "s.mp4")) as c:
        s = c.streams.video[0]
        frame = next(f for f in c.decode(s) if float(f.pts * s.time_base) >= at)
        rgb = frame.to_ndarray(format="rgb24").astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]  # yellow: red and green far above blue
    return float(((r - b > 60) & (g - b > 60)).mean())


def test_the_end_card_signs_off_only_at_the_end_of_the_video(tmp_path: Path) -> None:
    assert end_card_accent(tmp_path, '["anatomy", "explainer"]') > 2e-4  # the video's end
    assert end_card_accent(tmp_path, '["explainer", "anatomy"]') == 0.0  # the video goes on
