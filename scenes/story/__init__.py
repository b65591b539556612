"""Story files: a teacher's TOML file that says what one nnwarp video shows and says.

A story names the network (``[train]``, with ``nnwarp train``'s options, or a trained
``trajectory``), the scenes in order (``scenes = ["explainer", "anatomy"]``), their
options (``[anatomy] sample = 12``), how the video is made (``[render]``), the voice
(``[voice]``) and the words or timing of any beat (``[[beat]]`` with ``id`` and
``caption``, ``subcaption``, ``narration``, ``pause``, ``duration`` or ``skip``). Keys are
the command line's long option names with ``_`` for ``-``; paths are relative to the
story file's folder.

- :func:`load_story` reads and checks one: every problem at once, one line each, naming
  the file, the line, the key and what was expected (:class:`StoryError`);
- :meth:`Story.to_render_args` maps it to what ``nnwarp render`` needs (:class:`StoryArgs`);
- :func:`check_beat_ids`, :func:`edit_lines`, :func:`edit_timing` and :func:`skipped`
  apply its beats to the scenes' plans, once the plans exist; :func:`title_card_ids`
  and :func:`with_title` open a story with a ``title`` on a title card (beat ``title``),
  and :func:`as_heading` makes a later explainer's card a heading (:func:`opening`);
  :func:`closing` keeps the sign-off for the video's last scene;
- :func:`story_json_schema` is ``nnwarp schema``; :func:`starter_text` and
  :func:`write_starter` are ``nnwarp new``.
"""

from __future__ import annotations

from scenes.story.args import SceneArgs, StoryArgs, VoiceArgs, render_args
from scenes.story.beats import (
    as_heading,
    check_beat_ids,
    closing,
    edit_lines,
    edit_timing,
    needs_title_card,
    opening,
    skipped,
    stand_ins,
    title_card_ids,
    with_title,
)
from scenes.story.errors import StoryError
from scenes.story.jsonschema import SCHEMA_ID, story_json_schema
from scenes.story.load import load_story, parse_story, resolve
from scenes.story.schema import (
    CAPTION_MAX_CHARS,
    NARRATION_MAX_CHARS,
    SUBCAPTION_MAX_CHARS,
    BeatEdit,
    Story,
)
from scenes.story.starter import starter_text, write_starter

__all__ = [
    "CAPTION_MAX_CHARS",
    "NARRATION_MAX_CHARS",
    "SCHEMA_ID",
    "SUBCAPTION_MAX_CHARS",
    "BeatEdit",
    "SceneArgs",
    "Story",
    "StoryArgs",
    "StoryError",
    "VoiceArgs",
    "as_heading",
    "check_beat_ids",
    "closing",
    "edit_lines",
    "edit_timing",
    "load_story",
    "needs_title_card",
    "opening",
    "parse_story",
    "render_args",
    "resolve",
    "skipped",
    "stand_ins",
    "starter_text",
    "story_json_schema",
    "title_card_ids",
    "with_title",
    "write_starter",
]
