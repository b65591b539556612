"""A story's ``[[beat]]`` tables applied to the scenes' plans of beats.

The ids a story may name exist only once the plans do (they depend on the network: one
``layer-N.*`` beat per layer and step), so the renderer, having built each scene's plan,
calls :func:`check_beat_ids` with every scene's ids; it refuses unknown ids (with the
close ones) and ids that several scenes share unless the beat names its ``scene``, and
returns the edits of each scene by beat id. Then, per scene:

1. :func:`edit_lines`: the story's caption, subcaption and narration replace the plan's
   (before any speech is made, so the voice says the story's words);
2. the voice lengthens beats to their speech (the renderer's business);
3. :func:`edit_timing`: a beat's ``duration`` sets its length, its ``pause`` adds a hold;
4. :func:`skipped`: the ids to leave out of the video; :func:`stand_ins` gives them the
   words of a beat that stays, so that no left-out words are ever seen (the renderer then
   plays the left-out beats without drawing them: the video cuts from the beat before one
   to the beat after it).

A story with a ``title`` opens on a title card, the beat ``title`` of its first scene (in
its first section): :func:`title_card_ids` adds it to the ids of a first scene that has no
card of its own (the explainer has one), and :func:`with_title` puts the story's title on
the card, before the story's own ``[[beat]]`` words, as a ``[[beat]]`` changing its
caption would. A video has one title card, at its start: an explainer later in a story
opens on a heading for its part instead of its own title card (:func:`as_heading`, with
or without a story title); :func:`opening` picks which.

Example
-------
>>> from scenes.core.timeline import Beat
>>> from scenes.narration.text import Line
>>> from scenes.story.schema import Story
>>> story = Story.model_validate(
...     {"scenes": ["warp"], "beat": [{"id": "data", "caption": "Two moons", "pause": 1.5}]}
... )
>>> edits = check_beat_ids(story, {"warp": ["data", "separator"]})["warp"]
>>> plan = [Beat("data", "Introduction", Line("The data: moons", "400 points"), 3.0)]
>>> beat = edit_timing(edit_lines(plan, edits), edits)[0]
>>> beat.line.caption, beat.line.sub, beat.length
('Two moons', '400 points', 4.5)
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace

from scenes.core.timeline import Beat
from scenes.narration.text import Line
from scenes.story.errors import StoryError
from scenes.story.schema import BeatEdit, Story
from scenes.story.shapes import TITLE_ID

__all__ = [
    "END_ID",
    "HEADING",
    "HEADING_SAID",
    "as_heading",
    "check_beat_ids",
    "closing",
    "edit_lines",
    "edit_timing",
    "needs_title_card",
    "opening",
    "skipped",
    "stand_ins",
    "title_card_ids",
    "with_title",
]

#: Most beat ids listed in a message about an unknown one.
_LISTED = 40


def _where(edit: BeatEdit, i: int) -> str:
    head = f"[[beat]] {i + 1} (id {edit.id!r})"
    return f"{edit.where}: {head}" if edit.where else head


def _scenes(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def needs_title_card(story: Story, first_ids: Sequence[str]) -> bool:
    """Whether the story's video opens on a title card of its own: it has a title, and
    its first scene (whose plan has the ids ``first_ids``) has no title card (the
    explainer's shows the story's title instead).

    >>> story = Story.model_validate({"title": "XOR", "scenes": ["anatomy"]})
    >>> needs_title_card(story, ["diagram"]), needs_title_card(story, ["title", "data"])
    (True, False)
    """
    return story.title is not None and TITLE_ID not in first_ids


def title_card_ids(story: Story, known_ids: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The ids of each scene's plan (``known_ids``) as the story's video has them: a
    title card of the story's own (:func:`needs_title_card`) is its first scene's first
    beat, :data:`~scenes.story.shapes.TITLE_ID`.

    >>> story = Story.model_validate({"title": "XOR", "scenes": ["anatomy", "explainer"]})
    >>> title_card_ids(story, {"anatomy": ["diagram"], "explainer": ["title", "data"]})
    {'anatomy': ['title', 'diagram'], 'explainer': ['title', 'data']}
    """
    out = {scene: list(ids) for scene, ids in known_ids.items()}
    first = story.scenes[0]
    if first in out and needs_title_card(story, out[first]):
        out[first].insert(0, TITLE_ID)
    return out


def with_title(beats: Sequence[Beat], title: str | None) -> list[Beat]:
    """The beats with the story's ``title`` as the caption of the title card (the beat
    :data:`~scenes.story.shapes.TITLE_ID`), said as shown (caption and subcaption as one
    sentence), as a ``[[beat]]`` changing its caption would; the story's own ``[[beat]]``
    for it applies after this.

    >>> card = Beat("title", "Intro", Line("How a network untangles data", "moons"), 3.0)
    >>> with_title([card], "How a ReLU network learns XOR")[0].line.spoken
    'How a ReLU network learns XOR: moons.'
    """
    if title is None:
        return list(beats)
    return edit_lines(beats, {TITLE_ID: BeatEdit(id=TITLE_ID, caption=title)})


#: A later explainer's card (:func:`as_heading`): what its part shows, as a heading, and
#: what the voice says of it.
HEADING = "Next: how each layer warps the plane"
HEADING_SAID = "Next: how each layer of the network warps the plane, one step at a time."


def as_heading(beats: Sequence[Beat]) -> list[Beat]:
    """The beats with the title card (the beat :data:`~scenes.story.shapes.TITLE_ID`) as
    a heading for the part it opens: :data:`HEADING` over the card's own second line (the
    network), said as :data:`HEADING_SAID`. It is an explainer's that follows another of
    the story's scenes: the video's title is behind (the story's, on its first card), and
    "How a neural network untangles data" there would start a second video. The story's
    own ``[[beat]]`` for it applies after this.

    >>> card = Beat("title", "Intro", Line("How a network untangles data", "moons"), 3.0)
    >>> heading = as_heading([card])[0].line
    >>> heading.caption, heading.sub
    ('Next: how each layer warps the plane', 'moons')
    """
    return [
        replace(b, line=Line(HEADING, b.line.sub, HEADING_SAID)) if b.id == TITLE_ID else b
        for b in beats
    ]


def opening(beats: Sequence[Beat], title: str | None, first: bool) -> list[Beat]:
    """The beats of one of the story's scenes with their title card as the story's video
    has it: the first scene's shows the story's ``title`` (:func:`with_title`; its own
    words without one), a later one's is a heading for its part (:func:`as_heading`).

    >>> card = Beat("title", "Intro", Line("How a network untangles data", "moons"), 3.0)
    >>> [opening([card], t, f)[0].line.caption for t, f in (("XOR", True), ("XOR", False))]
    ['XOR', 'Next: how each layer warps the plane']
    >>> opening([card], None, True)[0].line.caption
    'How a network untangles data'
    """
    return with_title(beats, title) if first else as_heading(beats)


#: The beat that closes a scene (its end card, or its last words).
END_ID = "end"


def closing(beats: Sequence[Beat], last: bool) -> list[Beat]:
    """The beats with the end card as the story's video has it: the last scene's signs
    the video off; one that another scene follows sums its part up without a sign-off
    (``data["sign_off"]`` False), so the video does not seem to end half-way.

    >>> end = Beat("end", "Back", Line("Each layer bends the space a little;", "..."), 3.0)
    >>> [b.data.get("sign_off", True) for b in (closing([end], True)[0], closing([end], False)[0])]
    [True, False]
    """
    if last:
        return list(beats)
    return [replace(b, data={**b.data, "sign_off": False}) if b.id == END_ID else b for b in beats]


def check_beat_ids(
    story: Story, known_ids: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, BeatEdit]]:
    """The story's beat edits by scene and beat id, after checking every id exists.

    ``known_ids`` maps each of the story's scenes to the ids of its plan (as rendered:
    with the story's options, e.g. ``merge_bias``). A :class:`StoryError` lists every
    unknown id (with the close ones), every id that several scenes have where the beat
    names no scene, and every beat changed twice.
    """
    missing = [s for s in story.scenes if s not in known_ids]
    if missing:
        raise ValueError(f"check_beat_ids needs the beat ids of {', '.join(missing)}")
    out: dict[str, dict[str, BeatEdit]] = {scene: {} for scene in story.scenes}
    first: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    for i, edit in enumerate(story.beat):
        where = _where(edit, i)
        looked = [edit.scene] if edit.scene is not None else list(story.scenes)
        having = [s for s in looked if edit.id in known_ids[s]]
        if not having:
            ids = list(dict.fromkeys(b for s in looked for b in known_ids[s]))
            close = difflib.get_close_matches(edit.id, ids, n=2, cutoff=0.5)
            hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
            listed = ", ".join(ids) if len(ids) <= _LISTED else ", ".join(ids[:_LISTED]) + "..."
            whose = "the " + _scenes(looked) + (" scenes have" if len(looked) > 1 else " has")
            problems.append(f"{where}: {whose} no beat {edit.id!r}{hint}; beats: {listed}")
        elif len(having) > 1:
            problems.append(
                f"{where}: the {_scenes(having)} scenes each have a beat {edit.id!r}: add "
                f'scene = "{having[0]}" (or "{having[1]}") to say which'
            )
        else:
            scene = having[0]
            if (scene, edit.id) in first:
                problems.append(
                    f"{where}: the {scene}'s beat {edit.id!r} is changed twice (also by "
                    f"[[beat]] {first[scene, edit.id] + 1}); merge the two tables"
                )
                continue
            first[scene, edit.id] = i
            out[scene][edit.id] = edit
    if problems:
        raise StoryError(*problems)
    return out


def edit_lines(beats: Sequence[Beat], edits: Mapping[str, BeatEdit]) -> list[Beat]:
    """The beats with the story's words.

    A beat whose caption or subcaption the story changes, but not its narration, is
    spoken as shown (caption and subcaption read as one sentence), never with the plan's
    narration of the words it replaced.
    """
    out = []
    for beat in beats:
        edit = edits.get(beat.id)
        if edit is not None and (edit.caption, edit.subcaption, edit.narration) != (None,) * 3:
            old = beat.line
            shown = edit.caption is not None or edit.subcaption is not None
            line = Line(
                old.caption if edit.caption is None else edit.caption,
                old.sub if edit.subcaption is None else edit.subcaption,
                edit.narration if edit.narration is not None else ("" if shown else old.narration),
            )
            beat = replace(beat, line=line)
        out.append(beat)
    return out


def edit_timing(beats: Sequence[Beat], edits: Mapping[str, BeatEdit]) -> list[Beat]:
    """The beats with the story's durations and pauses (after any lengthening for speech).

    ``duration`` is the beat's whole length and may not be shorter than its animations
    (a :class:`StoryError` says how long they need); ``pause`` adds still seconds to the
    beat as it is now.
    """
    out, problems = [], []
    for beat in beats:
        edit = edits.get(beat.id)
        if edit is not None and edit.duration is not None:
            if edit.duration < beat.min_duration - 1e-9:
                where = f"{edit.where}: " if edit.where else ""
                problems.append(
                    f"{where}[[beat]] {beat.id!r} duration: {edit.duration:g} s is shorter "
                    f"than the {beat.min_duration:.2f} s its animations take; give at least "
                    f"{beat.min_duration:.2f}, or use pause to add time"
                )
            else:
                beat = replace(beat, duration=float(edit.duration))
        elif edit is not None and edit.pause is not None:
            beat = replace(beat, duration=beat.length + float(edit.pause))
        out.append(beat)
    if problems:
        raise StoryError(*problems)
    return out


def skipped(edits: Mapping[str, BeatEdit]) -> frozenset[str]:
    """The ids of the beats the story leaves out.

    >>> from scenes.story.schema import BeatEdit
    >>> sorted(skipped({"end": BeatEdit(id="end", skip=True)}))
    ['end']
    """
    return frozenset(beat_id for beat_id, edit in edits.items() if edit.skip)


def stand_ins(beats: Sequence[Beat], left_out: frozenset[str]) -> list[Beat]:
    """The beats with each left-out one showing the words of the kept beat before it (the
    first ones: of the first kept beat), saying nothing.

    A left-out beat is played but not drawn: the beat after it starts by fading out the
    caption the left-out beat put up. Its stand-in words make that fade the kept beat's,
    as if the left-out beat had never been there.

    >>> from scenes.narration.text import Line
    >>> plan = [Beat(i, "S", Line(i.upper(), narration=i), 1.0) for i in ("a", "b", "c")]
    >>> [(b.line.caption, b.line.narration) for b in stand_ins(plan, frozenset({"a", "b"}))]
    [('C', ' '), ('C', ' '), ('C', 'c')]
    """
    kept = [b for b in beats if b.id not in left_out]
    out: list[Beat] = []
    shown = kept[0].line if kept else Line("")
    for beat in beats:
        if beat.id in left_out:
            beat = replace(beat, line=Line(shown.caption, shown.sub, " "))  # (" ": silent)
        else:
            shown = beat.line
        out.append(beat)
    return out
