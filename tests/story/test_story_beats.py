"""A story's beats against the real plans of the scenes: ids checked, words and times applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel.trajectory import Trajectory, load
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.core.timeline import Beat, timeline
from scenes.story import (
    Story,
    StoryError,
    check_beat_ids,
    edit_lines,
    edit_timing,
    parse_story,
    skipped,
)
from scenes.warp.plan import warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


@pytest.fixture(scope="module")
def traj() -> Trajectory:
    return load(GOLDEN)


@pytest.fixture(scope="module")
def plans(traj: Trajectory) -> dict[str, list[Beat]]:
    return {
        "explainer": warp_plan(traj, with_title=True, fps=15),
        "anatomy": anatomy_plan(traj, gather(traj, -1, None), fps=15),
    }


def ids(plans: dict[str, list[Beat]]) -> dict[str, list[str]]:
    return {scene: [b.id for b in beats] for scene, beats in plans.items()}


def story_with(beats: str, scenes: str = '["explainer", "anatomy"]') -> Story:
    """A story of the golden network: its layers are known once its file is read, so its
    beats are checked against the plans (a story that trains is checked as it is read)."""
    return parse_story(
        f'scenes = {scenes}\ntrajectory = "golden.npz"\n{beats}', "lesson.toml", check_files=False
    )


def test_ids_are_checked_against_the_plans_with_the_close_ones(
    plans: dict[str, list[Beat]],
) -> None:
    """Ids a network could have, but this one has not (its plan has two layers)."""
    story = story_with(
        '[[beat]]\nid = "layer-3.linear"\nskip = true\n'  # 3
        '\n[[beat]]\nid = "layer-1.activation"\npause = 1\n'  # 7: in both scenes
        '\n[[beat]]\nscene = "anatomy"\nid = "layer-3.forward"\nskip = true\n'  # 11
    )
    with pytest.raises(StoryError) as caught:
        check_beat_ids(story, ids(plans))
    first, second, third = caught.value.problems
    assert first.startswith(
        "lesson.toml:3: [[beat]] 1 (id 'layer-3.linear'): the explainer and anatomy scenes "
        "have no beat 'layer-3.linear' (did you mean 'layer-2.linear' or 'layer-1.linear'?)"
    )
    assert "; beats: title, data, line-question," in first
    assert second == (
        "lesson.toml:7: [[beat]] 2 (id 'layer-1.activation'): the explainer and anatomy "
        "scenes each have a beat 'layer-1.activation': add scene = \"explainer\" (or "
        '"anatomy") to say which'
    )
    assert third.startswith(
        "lesson.toml:11: [[beat]] 3 (id 'layer-3.forward'): the anatomy has no beat "
        "'layer-3.forward'"
    )


def test_an_id_no_network_could_have_is_refused_as_the_story_is_read() -> None:
    """Before any training: a story training for minutes must not end with "no beat
    'dat'" (the check against the plans can only run once the network is trained)."""
    with pytest.raises(StoryError) as caught:
        story_with(
            '[[beat]]\nid = "dat"\nskip = true\n'  # 3
            '\n[[beat]]\nscene = "anatomy"\nid = "separator"\nskip = true\n'  # 7
            '\n[[beat]]\nid = "layer-12.bias"\npause = 1\n'  # 12: could be, checked later
        )
    first, second = caught.value.problems
    assert first.startswith(
        "lesson.toml:3: [[beat]] 1: neither the explainer nor the anatomy has a beat 'dat' "
        "(did you mean 'data'"
    )
    assert second.startswith("lesson.toml:7: [[beat]] 2: the anatomy has no beat 'separator'")
    assert "beats look like diagram, weights, sample, layer-1.forward" in second


@pytest.mark.parametrize(
    "name", ["golden", "wide_traj", "logreg_traj", "one_layer_traj", "stopped_traj", "wide8_traj"]
)
def test_every_id_a_plan_makes_has_a_known_shape(name: str, request: pytest.FixtureRequest) -> None:
    """The shapes the early check knows cover every id the plans make (with every option
    that changes them): a new kind of beat must be added to them."""
    from scenes.evolution.plan import evolution_plan
    from scenes.story.shapes import matches

    traj = load(GOLDEN if name == "golden" else request.getfixturevalue(name))
    made = {
        "explainer": warp_plan(traj, with_title=True, fps=15),
        "warp": [*warp_plan(traj, fps=15), *warp_plan(traj, fps=15, merge_bias=True)],
        "anatomy": anatomy_plan(traj, gather(traj, -1, None), fps=15),
        "evolution": evolution_plan(traj, fps=15),
    }
    for scene, beats in made.items():
        assert [b.id for b in beats if not matches(scene, b.id)] == [], scene


def test_a_beat_named_twice_through_its_scene_is_refused(plans: dict[str, list[Beat]]) -> None:
    story = story_with(
        '[[beat]]\nid = "data"\nskip = true\n'
        '[[beat]]\nscene = "explainer"\nid = "data"\npause = 2\n'
    )
    with pytest.raises(
        StoryError, match=r"lesson.toml:6: .*changed twice \(also by \[\[beat\]\] 1"
    ):
        check_beat_ids(story, ids(plans))


def test_edits_change_the_words_and_the_voice_follows_what_is_shown(
    plans: dict[str, list[Beat]],
) -> None:
    story = story_with(
        '[[beat]]\nid = "data"\ncaption = "Two moons"\n'
        '[[beat]]\nscene = "explainer"\nid = "layer-1.activation"\nnarration = "Squash!"\n'
        '[[beat]]\nid = "weights"\nsubcaption = "the biggest weight glows"\n'
        '[[beat]]\nid = "output"\nsubcaption = ""\n'
    )
    edits = check_beat_ids(story, ids(plans))
    explainer = {b.id: b for b in edit_lines(plans["explainer"], edits["explainer"])}
    before = {b.id: b for b in plans["explainer"]}
    data = explainer["data"].line
    assert (data.caption, data.sub) == ("Two moons", before["data"].line.sub)
    assert data.spoken.startswith("Two moons: ")  # said as shown
    act = explainer["layer-1.activation"].line
    assert act.caption == before["layer-1.activation"].line.caption and act.spoken == "Squash!"
    anatomy = {b.id: b for b in edit_lines(plans["anatomy"], edits["anatomy"])}
    assert anatomy["weights"].line.sub == "the biggest weight glows"
    assert anatomy["output"].line.sub == "" and anatomy["output"].line.caption  # sub removed
    assert (
        anatomy["layer-1.activation"] == {b.id: b for b in plans["anatomy"]}["layer-1.activation"]
    )  # the explainer's edit stays in the explainer
    unchanged = [b for b in explainer.values() if b.id not in ("data", "layer-1.activation")]
    assert unchanged == [
        b for b in plans["explainer"] if b.id not in ("data", "layer-1.activation")
    ]


def test_timing_edits_hold_beats_and_shift_the_rest(plans: dict[str, list[Beat]]) -> None:
    plan = plans["explainer"]
    data = next(b for b in plan if b.id == "data")
    story = story_with(
        '[[beat]]\nid = "data"\npause = 1.5\n'
        f'[[beat]]\nid = "end"\nduration = {data.min_duration + 30}\n'
        '[[beat]]\nid = "rewind"\nskip = true\n',
        '["explainer"]',
    )
    edits = check_beat_ids(story, {"explainer": [b.id for b in plan]})
    timed = {t.beat.id: t for t in timeline(edit_timing(plan, edits["explainer"]))}
    original = {t.beat.id: t for t in timeline(plan)}
    assert timed["data"].end - timed["data"].start == pytest.approx(data.length + 1.5)
    assert timed["separator"].start == pytest.approx(original["separator"].start + 1.5)
    assert timed["end"].end - timed["end"].start == pytest.approx(data.min_duration + 30)
    assert skipped(edits["explainer"]) == {"rewind"}


def test_a_duration_shorter_than_the_animations_says_how_long_they_need(
    plans: dict[str, list[Beat]],
) -> None:
    plan = plans["explainer"]
    need = next(b for b in plan if b.id == "layer-1.linear").min_duration
    story = story_with('[[beat]]\nid = "layer-1.linear"\nduration = 0.5\n', '["explainer"]')
    edits = check_beat_ids(story, {"explainer": [b.id for b in plan]})
    with pytest.raises(StoryError) as caught:
        edit_timing(plan, edits["explainer"])
    assert str(caught.value) == (
        f"lesson.toml:3: [[beat]] 'layer-1.linear' duration: 0.5 s is shorter than the "
        f"{need:.2f} s its animations take; give at least {need:.2f}, or use pause to add time"
    )


def test_merge_bias_changes_the_ids_and_the_check_says_which_exist(traj: Trajectory) -> None:
    merged = [b.id for b in warp_plan(traj, merge_bias=True, fps=15)]
    story = story_with('[[beat]]\nid = "layer-1.bias"\nskip = true\n', '["warp"]')
    with pytest.raises(StoryError, match=r"did you mean 'layer-1.affine'"):
        check_beat_ids(story, {"warp": merged})


def test_the_renderer_must_give_every_scene_s_ids() -> None:
    story = story_with('[[beat]]\nid = "data"\nskip = true\n')
    with pytest.raises(ValueError, match="needs the beat ids of anatomy"):
        check_beat_ids(story, {"explainer": ["data"]})
