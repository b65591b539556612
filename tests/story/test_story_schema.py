"""The story schema: round trips through TOML, agrees with the CLI, and helps editors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scenes.story import Story, parse_story, starter_text, story_json_schema
from scenes.story import schema as s

FULL: dict[str, Any] = {
    "title": 'A "quoted" title # with a hash',
    "scenes": ["explainer", "anatomy", "evolution"],
    "train": {
        "dataset": "data/wine.csv",
        "columns": ["alcohol", "proline", "cultivar"],
        "standardize": False,
        "samples": 300,
        "noise": 0.2,
        "arms": 3,
        "hidden": [8, 8, 2],
        "activation": ["relu", "relu", "tanh"],
        "optimizer": "sgd",
        "lr": 0.1,
        "epochs": 250,
        "batch_size": 32,
        "weight_decay": 0.0,
        "target_loss": 0.05,
        "test_fraction": 0.25,
        "snapshots": 120,
        "seed": 7,
    },
    "render": {
        "quality": "l",
        "fps": 24.0,
        "resolution": [1280, 720],
        "format": "mp4",
        "output": "out/lesson.mp4",
        "theme": "light.json",
        "x264_preset": "slow",
        "save_sections": False,
    },
    "voice": {"engine": "espeak", "voice": "en-gb", "speed": 1.2, "pause": 0.8, "loudness": -18.0},
    "explainer": {"epoch": 100, "merge_bias": True, "color_by": "position"},
    "anatomy": {"sample": 12, "epoch": 50},
    "evolution": {"time": "linear", "duration": 30.0, "color_by": "position"},
    "beat": [
        {"id": "data", "caption": "Two moons", "subcaption": "é, ü and — fine"},
        {"id": "layer-1.activation", "scene": "explainer", "narration": "Line one.\nTwo."},
        {"id": "sample", "scene": "anatomy", "pause": 1.5},
        {"id": "end", "duration": 6.0},
        {"id": "rewind", "skip": True},
    ],
}


def toml_value(value: Any) -> str:
    """A tiny TOML writer for the test (independent of scenes.story.tomltext)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(toml_value(v) for v in value) + "]"


def to_toml(data: dict[str, Any]) -> str:
    """Top-level keys, then [tables], then [[arrays of tables]]; None is left out."""
    plain = {k: v for k, v in data.items() if v is not None}
    tables = {k: v for k, v in plain.items() if isinstance(v, dict)}
    arrays = {
        k: v for k, v in plain.items() if isinstance(v, list) and v and isinstance(v[0], dict)
    }
    out = [f"{k} = {toml_value(v)}" for k, v in plain.items() if k not in tables | arrays]
    for name, table in tables.items():
        out += [
            "",
            f"[{name}]",
            *(f"{k} = {toml_value(v)}" for k, v in table.items() if v is not None),
        ]
    for name, items in arrays.items():
        for item in items:
            out += ["", f"[[{name}]]"]
            out += [f"{k} = {toml_value(v)}" for k, v in item.items() if v is not None]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("exclude_defaults", [False, True])
@pytest.mark.parametrize("source", ["full", "starter"])
def test_a_story_round_trips_through_toml(source: str, exclude_defaults: bool) -> None:
    if source == "full":
        story = Story.model_validate(FULL)
    else:
        story = parse_story(starter_text(), "story.toml")
    data = story.model_dump(exclude_defaults=exclude_defaults)
    again = parse_story(to_toml(data), "again.toml", check_files=False)
    assert again == story
    assert again.model_dump() == story.model_dump()


def test_the_full_story_keeps_every_value() -> None:
    dumped = Story.model_validate(FULL).model_dump(exclude_none=True)
    beats = dumped.pop("beat")
    assert {k: v for k, v in dumped.items() if k in FULL} == {
        k: v for k, v in FULL.items() if k != "beat"
    }
    kept = [
        {k: v for k, v in b.items() if k in f} for b, f in zip(beats, FULL["beat"], strict=True)
    ]
    assert kept == FULL["beat"]


def test_a_story_is_immutable_and_equal_wherever_it_was_read_from() -> None:
    a = parse_story('scenes = ["warp"]\n[[beat]]\nid = "data"\nskip = true\n', "a.toml")
    b = parse_story('\n\nscenes = ["warp"]\n\n[[beat]]\nid = "data"\nskip = true\n', "b.toml")
    assert a == b and a.beat[0].where == "a.toml:2" and b.beat[0].where == "b.toml:5"
    with pytest.raises(ValueError):
        a.title = "changed"


def _tables(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {"Story": schema, **schema["$defs"]}


def test_the_json_schema_names_itself_and_describes_every_key() -> None:
    schema = story_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "urn:nnwarp:story:1"
    assert schema["required"] == ["scenes"]
    for name, table in _tables(schema).items():
        assert table["additionalProperties"] is False, name
        assert table["description"], name
        for key, prop in table["properties"].items():
            assert prop.get("title") and prop.get("description"), f"{name}.{key}"
    assert '"null"' not in json.dumps(schema)  # TOML has no null: a key is left out instead
    json.dumps(schema, allow_nan=False)  # plain JSON


def test_the_schema_has_exactly_the_keys_the_models_accept() -> None:
    tables = _tables(story_json_schema())
    for model in (s.Story, s.TrainOptions, s.RenderSettings, s.VoiceSettings, s.BeatEdit):
        assert list(tables[model.__name__]["properties"]) == list(model.model_fields)


def test_the_schema_offers_the_registry_s_scenes_and_the_limits() -> None:
    from scenes import registry

    schema = story_json_schema()
    story_scenes = [n for n in registry.names() if registry.spec(n).needs == "trajectory"]
    array = schema["properties"]["scenes"]["anyOf"][0]
    assert array["items"]["enum"] == story_scenes
    beat = schema["$defs"]["BeatEdit"]["properties"]
    assert beat["scene"]["enum"] == story_scenes
    assert beat["caption"]["maxLength"] == s.CAPTION_MAX_CHARS
    assert beat["subcaption"]["maxLength"] == s.SUBCAPTION_MAX_CHARS


def test_choices_agree_with_the_renderer_s() -> None:
    from scenes import render as r
    from scenes.evolution.timing import MAPPINGS, MAX_DURATION, MIN_DURATION

    assert tuple(r.QUALITIES) == s.QUALITIES
    assert tuple(r.VIDEO_FORMATS) == s.VIDEO_FORMATS
    assert tuple(r.PRESETS) == s.X264_PRESETS
    duration = s.EvolutionOptions.model_json_schema()["properties"]["duration"]["anyOf"][0]
    assert (duration["minimum"], duration["maximum"]) == (MIN_DURATION, MAX_DURATION)
    time = s.EvolutionOptions.model_json_schema()["properties"]["time"]
    assert tuple(time["enum"]) == MAPPINGS


def test_no_train_table_trains_what_nnwarp_render_trains_without_options() -> None:
    from scenes.cli.options import TRAINING_OPTIONS, build_config
    from scenes.cli.rendering import render

    cli_defaults = {p.name: p.default for p in render.params if p.name in TRAINING_OPTIONS}
    assert build_config(s.TrainOptions().cli_options()) == build_config(cli_defaults)
    assert set(TRAINING_OPTIONS) - {"retrain"} == set(s.TrainOptions.model_fields)


def test_training_options_map_onto_the_cli_s_config() -> None:
    from scenes.cli.options import build_config

    options = Story.model_validate(FULL).train
    assert options is not None
    assert build_config(options.cli_options()) == options.run_config()
