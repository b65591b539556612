"""A story's title on screen: its video opens on a title card (the beat ``title``).

The card is the explainer's (the story's title, and the network on a second line), in the
first scene's first section; an explainer first shows the story's title on its own card.
Its words and timing are the story's like any beat's, and ``skip = true`` leaves it out.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from click.testing import CliRunner

from scenes.cli import main
from scenes.core.timeline import READING_CPS
from scenes.story import StoryError, parse_story
from tests.voice.voice_fakes import install_fake

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
TITLE = "How a network learns to tell two moons apart"
#: What the explainer's card says under its title for the golden network.
NETWORK = "moons · a 2 → 2 → 3 → 1 network · tanh"


def story_text(scenes: str, beats: str = "", title: str | None = TITLE) -> str:
    head = f'title = "{title}"\n' if title is not None else ""
    return (
        f'{head}scenes = {scenes}\ntrajectory = "{GOLDEN}"\n\n'
        "[render]\nresolution = [256, 144]\nfps = 4\n\n"
        '[voice]\nengine = "none"\n' + beats
    )


def render(tmp_path: Path, name: str, text: str, *extra: str) -> dict[str, Any]:
    """Render the story ``text`` as ``name``.toml; its .sections.json, with the CLI's
    output under ``"output"``."""
    story = tmp_path / f"{name}.toml"
    story.write_text(text, encoding="utf-8")
    args = ["render", str(story), "-j", "1", "--media-dir", str(tmp_path / "media"), *extra]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    doc: dict[str, Any] = json.loads((tmp_path / f"{name}.sections.json").read_text())
    doc["output"] = res.output
    return doc


def frames(video: Path, until: float) -> list[tuple[float, np.ndarray]]:
    """The video's frames before ``until`` seconds, with their times, as grey levels."""
    out = []
    with av.open(str(video)) as c:
        stream = c.streams.video[0]
        for frame in c.decode(stream):
            assert frame.time is not None
            t = float(frame.time)
            if t >= until:
                break
            out.append((t, frame.to_ndarray(format="gray").astype(np.float64)))
    return out


@pytest.fixture(scope="module")
def titled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The QA's story: a title, then the anatomy and the evolution; with a course page."""
    folder = tmp_path_factory.mktemp("titled")
    doc = render(
        folder,
        "lesson",
        story_text('["anatomy", "evolution"]'),
        "--course",
        str(folder / "course"),
    )
    return folder, doc


@pytest.fixture(scope="module")
def untitled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same story without a title: no card."""
    folder = tmp_path_factory.mktemp("untitled")
    return render(folder, "lesson", story_text('["anatomy", "evolution"]', title=None))


def test_the_video_opens_on_the_title_in_the_first_chapter(
    titled: tuple[Path, dict[str, Any]], untitled: dict[str, Any]
) -> None:
    folder, doc = titled
    card, first = doc["beats"][:2]
    assert (card["id"], card["scene"], card["start"]) == ("title", "anatomy", 0.0)
    assert (card["caption"], card["subcaption"]) == (TITLE, NETWORK)
    assert card["narration"].startswith(TITLE)  # said as shown, as the voice would
    # in the first scene's first section: the chapters are those of the video without it
    assert card["section"] == first["section"] == doc["sections"][0]["name"]
    assert [s["name"] for s in doc["sections"]] == [s["name"] for s in untitled["sections"]]
    assert doc["sections"][0]["start"] == 0.0
    # the rest of the video follows it, as it was
    assert [b["id"] for b in doc["beats"][1:]] == [b["id"] for b in untitled["beats"]]
    assert doc["duration"] == pytest.approx(untitled["duration"] + card["end"])
    # silent: the card stays up as long as its words take to read
    reading = 0.5 + len(f"{TITLE} {NETWORK}") / READING_CPS
    assert card["end"] == pytest.approx(math.ceil(reading * 4) / 4)
    srt = (folder / "lesson.srt").read_text(encoding="utf-8")
    seconds, millis = divmod(round(card["end"] * 1000), 1000)
    assert srt.startswith(f"1\n00:00:00,000 --> 00:00:{seconds:02d},{millis:03d}\n")
    assert srt.split("\n")[2:4] == [TITLE, NETWORK]
    with av.open(str(folder / "lesson.mp4")) as c:
        assert float(c.duration or 0) / 1e6 == pytest.approx(doc["duration"], abs=0.3)


def test_the_course_page_opens_its_first_chapter_on_the_card(
    titled: tuple[Path, dict[str, Any]], untitled: dict[str, Any]
) -> None:
    folder, doc = titled
    course = folder / "course"
    first = untitled["sections"][0]["name"]
    transcript = (course / "transcript.md").read_text(encoding="utf-8")
    head, chapter, words = transcript.split("\n\n")[:3]
    assert (head, chapter.split(" (")[0], words) == (
        f"# {TITLE}",
        f"## {first}",
        f"**0:00** {TITLE}: {NETWORK}.",
    )
    chapters = (course / "chapters.vtt").read_text(encoding="utf-8")
    assert (
        f"chapter-1\n00:00:00.000 --> 00:00:{doc['sections'][0]['end']:06.3f}\n{first}\n"
        in chapters
    )
    assert TITLE in (course / "index.html").read_text(encoding="utf-8")


def test_the_card_is_on_screen_in_the_first_seconds(
    titled: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """The opening frames show the title card: light text in the middle of a dark frame,
    nothing at the top where captions are, and the same frames as the explainer's card
    with the story's title."""
    folder, doc = titled
    end = doc["beats"][0]["end"]
    opening = frames(folder / "lesson.mp4", end)
    assert len(opening) == round(end * 4)
    held = [f for t, f in opening if 1.0 <= t <= end - 0.6]  # faded in, not yet out
    assert held
    for frame in held:
        rows = frame.shape[0]
        middle = frame[int(rows * 0.35) : int(rows * 0.65)]
        assert (middle > 128).sum() > 100  # the title's letters
        assert frame[: int(rows * 0.3)].max() < 60  # no caption above: only the card
    # the explainer first: its own card, with the story's title, and only one card
    explainer = render(tmp_path, "explainer", story_text('["explainer"]'))
    cards = [b for b in explainer["beats"] if b["caption"] == TITLE]
    assert [(b["id"], b["start"]) for b in cards] == [("title", 0.0)]
    assert [b["id"] for b in explainer["beats"]].count("title") == 1
    assert explainer["beats"][0]["end"] == pytest.approx(end)
    theirs = frames(tmp_path / "explainer.mp4", end - 0.6)
    for (t, ours), (_, its) in zip(opening, theirs, strict=False):
        assert np.abs(ours - its).mean() < 1.0, t  # (encoded apart: within a level)


def test_a_beat_changes_the_card_s_words_and_the_voice_says_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install_fake(monkeypatch)
    said = f"{TITLE}. A lesson in two parts: the network neuron by neuron, then its training."
    doc = render(
        tmp_path,
        "voiced",
        story_text(
            '["anatomy"]',
            f'\n[[beat]]\nid = "title"\nsubcaption = "A lesson in two parts"\n'
            f'narration = "{said}"\npause = 1.0\n',
        ),
        "--voice",
        "fake",
    )
    card = doc["beats"][0]
    assert (card["id"], card["caption"], card["subcaption"], card["narration"]) == (
        "title",
        TITLE,
        "A lesson in two parts",
        said,
    )
    assert fake.calls[0] == said  # the voice says the title first
    # timed by the voice (longer than the words shown take to read), then held for the pause
    reading = 0.5 + len(f"{TITLE} A lesson in two parts") / READING_CPS
    assert card["end"] > reading + 1.0 + 0.5
    srt = (tmp_path / "voiced.srt").read_text(encoding="utf-8")
    assert srt.split("\n")[2] == said


def test_skip_leaves_the_card_out(tmp_path: Path, untitled: dict[str, Any]) -> None:
    doc = render(
        tmp_path,
        "skipped",
        story_text('["anatomy", "evolution"]', '\n[[beat]]\nid = "title"\nskip = true\n'),
    )
    assert [b["id"] for b in doc["beats"]] == [b["id"] for b in untitled["beats"]]
    assert doc["duration"] == pytest.approx(untitled["duration"])
    assert TITLE not in (tmp_path / "skipped.srt").read_text(encoding="utf-8")


def test_a_second_render_copies_the_card_from_the_cache(tmp_path: Path) -> None:
    text = story_text('["anatomy"]')
    first = render(tmp_path, "cached", text, "--cache")  # (the tests' default: no cache)
    again = render(tmp_path, "cached", text, "--cache")
    assert "title card: 1 of 1 beats unchanged: copied from the cache" in again["output"]
    assert again["beats"][0] == first["beats"][0]


def check(text: str) -> list[str]:
    with pytest.raises(StoryError) as caught:
        parse_story(text, "lesson.toml", check_files=False)
    return list(caught.value.problems)


def test_the_story_knows_the_card_s_id_as_it_is_read() -> None:
    """Before any training: ``title`` is the first scene's beat in a story with a title."""
    edit = '[[beat]]\nid = "title"\ncaption = "Ours"\n'
    trains = 'scenes = ["anatomy", "evolution"]\n'
    story = parse_story(f'title = "XOR"\n{trains}{edit}', "lesson.toml", check_files=False)
    assert story.beat[0].id == "title"
    assert check(f"{trains}{edit}") == [
        "lesson.toml:2: [[beat]] 1: the story has no title card to change: give the story a "
        'title (title = "..." at the top: its video then opens on a card with it), or remove '
        "this [[beat]]"
    ]
    second = edit.replace('id = "title"', 'scene = "evolution"\nid = "title"')
    assert check(f'title = "XOR"\n{trains}{second}') == [
        "lesson.toml:3: [[beat]] 1: the evolution has no beat 'title'; the title card is the "
        'anatomy\'s: write scene = "anatomy"'
    ]
    typo = edit.replace('id = "title"', 'id = "titel"')
    assert "(did you mean 'title'?)" in check(f'title = "XOR"\n{trains}{typo}')[0]


def test_the_schema_names_the_card_s_id() -> None:
    res = CliRunner().invoke(main, ["schema"])
    schema = json.loads(res.output)
    beat_id = schema["$defs"]["BeatEdit"]["properties"]["id"]
    assert "title" in beat_id["examples"] and "title" in beat_id["description"]
    assert "title card" in schema["properties"]["title"]["description"]


def test_a_later_explainer_keeps_its_own_card_and_a_beat_says_which() -> None:
    """The story's card is its first scene's beat ``title``; an explainer later in the
    story still opens on a card of its own (a heading for its part), so a [[beat]]
    ``title`` says which it changes."""
    from scenes.story import check_beat_ids, title_card_ids

    plans = {"anatomy": ["diagram", "weights"], "explainer": ["title", "data", "end"]}
    text = f'title = "XOR"\nscenes = ["anatomy", "explainer"]\ntrajectory = "{GOLDEN}"\n'
    edit = '[[beat]]\nid = "title"\ncaption = "Ours"\n'
    ids = title_card_ids(parse_story(text, check_files=False), plans)
    assert ids == {"anatomy": ["title", "diagram", "weights"], "explainer": plans["explainer"]}
    with pytest.raises(StoryError) as caught:
        check_beat_ids(parse_story(text + edit, "lesson.toml", check_files=False), ids)
    assert caught.value.problems[0].endswith(
        "the anatomy and explainer scenes each have a beat 'title': add scene = \"anatomy\" "
        '(or "explainer") to say which'
    )
    chosen = parse_story(text + edit.replace("[[beat]]", '[[beat]]\nscene = "anatomy"'))
    assert list(check_beat_ids(chosen, ids)["anatomy"]) == ["title"]
    # an explainer first has a card of its own: the story's title goes on it
    first = {"explainer": plans["explainer"], "anatomy": plans["anatomy"]}
    flipped = parse_story(text.replace('"anatomy", "explainer"', '"explainer", "anatomy"'))
    assert title_card_ids(flipped, first) == first
    untitled = parse_story(text.replace('title = "XOR"\n', ""))
    assert title_card_ids(untitled, plans) == plans


def test_a_later_explainer_opens_on_a_heading_not_a_second_title() -> None:
    """The explainer's plan, as the story tells it: first, its card shows the story's
    title; after another scene, with or without a story title, a heading naming its part
    (over the network's line, said in words of its own), never the generic video title."""
    from nnmodel.trajectory import load
    from scenes.story import edit_lines, opening
    from scenes.story.beats import HEADING, HEADING_SAID
    from scenes.warp.plan import warp_plan

    plan = warp_plan(load(GOLDEN), fps=4, with_title=True)
    generic = plan[0].line
    assert (plan[0].id, generic.sub) == ("title", NETWORK)
    first = opening(plan, TITLE, first=True)
    assert (first[0].line.caption, first[0].line.sub) == (TITLE, NETWORK)
    for title in (TITLE, None):
        later = opening(plan, title, first=False)
        card = later[0].line
        assert [b.id for b in later] == [b.id for b in plan]  # the same beats, one retold
        assert later[1:] == plan[1:]
        assert (card.caption, card.sub, card.narration) == (HEADING, NETWORK, HEADING_SAID)
        assert card.caption != generic.caption and "untangle" not in card.spoken
        assert card.spoken.startswith("Next")
    # the story's own words for it still win
    story = parse_story(
        f'scenes = ["anatomy", "explainer"]\ntrajectory = "{GOLDEN}"\n\n[[beat]]\n'
        'scene = "explainer"\nid = "title"\ncaption = "Part two: the warp"\n',
        check_files=False,
    )
    edits = {e.id: e for e in story.beat}
    ours = edit_lines(opening(plan, None, first=False), edits)[0].line
    assert (ours.caption, ours.sub, ours.spoken) == (
        "Part two: the warp",
        NETWORK,
        f"Part two: the warp: {NETWORK}.",
    )


def test_a_story_video_has_one_title_card(tmp_path: Path) -> None:
    """Rendered: the story's title opens the video once; the explainer after the warp
    opens on the heading, in its first section."""
    from scenes.story.beats import HEADING, HEADING_SAID

    doc = render(tmp_path, "two", story_text('["warp", "explainer"]'))
    assert [b["id"] for b in doc["beats"] if b["caption"] == TITLE] == ["title"]
    assert doc["beats"][0]["caption"] == TITLE
    heading = next(b for b in doc["beats"] if b["scene"] == "explainer")
    assert (heading["id"], heading["caption"], heading["subcaption"]) == (
        "title",
        HEADING,
        NETWORK,
    )
    assert heading["narration"] == HEADING_SAID
    # its first section, a chapter named for what it shows (the warp's is "Introduction")
    assert heading["section"] == "Warping the plane" and heading["start"] > 0
