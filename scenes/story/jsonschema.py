"""The JSON schema of story files, for editors that complete and check TOML keys.

``nnwarp schema > nnwarp-story.schema.json`` and a first line ``#:schema
./nnwarp-story.schema.json`` in a story let Taplo (VS Code's Even Better TOML, and other
editors through taplo's language server) complete keys, show each key's description and
flag mistakes as you type. TOML has no null, so the schema has none: a key left out
takes its default.

>>> schema = story_json_schema()
>>> schema["$id"], schema["required"]
('urn:nnwarp:story:1', ['scenes'])
>>> schema["$defs"]["RenderSettings"]["properties"]["quality"]["enum"]
['l', 'm', 'h', 'p', 'k']
"""

from __future__ import annotations

from typing import Any

from scenes.story.schema import Story

__all__ = ["SCHEMA_DIALECT", "SCHEMA_ID", "story_json_schema"]

#: The schema's identity (a name, not an address: nothing is fetched). The number changes
#: when a story written for an older nnwarp would no longer be valid.
SCHEMA_ID = "urn:nnwarp:story:1"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _without_null(node: Any) -> Any:
    """The schema with every ``null`` alternative and ``"default": null`` removed."""
    if isinstance(node, list):
        return [_without_null(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _without_null(x) for k, x in node.items() if not (k == "default" and x is None)}
    if "anyOf" in out:
        kept = [alt for alt in out["anyOf"] if alt != {"type": "null"}]
        if len(kept) == 1:
            del out["anyOf"]
            out = {**kept[0], **out}
        else:
            out["anyOf"] = kept
    return out


def _name_scenes(schema: dict[str, Any], names: list[str]) -> None:
    """Offer the scene names where a scene is named."""
    scenes = schema["properties"]["scenes"]
    for alt in scenes["anyOf"]:
        target = alt["items"] if alt["type"] == "array" else alt
        target["enum"] = names
    schema["$defs"]["BeatEdit"]["properties"]["scene"]["enum"] = names


def _titled(schema: dict[str, Any]) -> None:
    """Give every key a title (pydantic leaves those of tables without one)."""
    for table in [schema, *schema["$defs"].values()]:
        for key, prop in table["properties"].items():
            prop.setdefault("title", key.replace("_", " ").capitalize())


def story_json_schema() -> dict[str, Any]:
    """The JSON schema (draft 2020-12) of a story file, every key with a title and a
    description; the scene names are the registry's (importing the scenes)."""
    from scenes.story.values import story_scenes

    schema: dict[str, Any] = _without_null(Story.model_json_schema(mode="validation"))
    _name_scenes(schema, story_scenes().split(", "))
    _titled(schema)
    schema["title"] = "nnwarp story"
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **schema}
