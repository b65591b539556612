"""What a story file may say: the pydantic models of its tables, keys and limits.

Every key is named as the ``nnwarp`` option it mirrors, with ``_`` where the option has
``-`` (``batch_size`` for ``--batch-size``, ``x264_preset``, ``merge_bias``), as in sweep
files. Values have the types TOML gives them (``epochs = "300"`` is refused: write
``epochs = 300``); lists may also be written as the command line writes them
(``hidden = "3,2"``). Paths (``trajectory``, a data file, ``output``, ``theme``) are
relative to the story file's folder. Unknown keys are errors.

Example
-------
>>> story = Story.model_validate({"scenes": ["warp"], "render": {"quality": "l"}})
>>> story.render.quality, story.train is None, story.beat
('l', True, [])
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)

from nnmodel.config import (
    MAX_DEPTH,
    MAX_SEED,
    MAX_WIDTH,
    DataConfig,
    ExportConfig,
    ModelConfig,
    RunConfig,
    TrainConfig,
)
from nnmodel.datasets import MAX_POINTS
from nnmodel.errors import ConfigError
from scenes.story import values as v

__all__ = [
    "CAPTION_MAX_CHARS",
    "DEFAULT_ENGINE",
    "NARRATION_MAX_CHARS",
    "QUALITIES",
    "SCENE_TABLES",
    "STORY_FORMAT",
    "SUBCAPTION_MAX_CHARS",
    "VIDEO_FORMATS",
    "VOICE_ENGINES",
    "X264_PRESETS",
    "AnatomyOptions",
    "BeatEdit",
    "EvolutionOptions",
    "RenderSettings",
    "Story",
    "TrainOptions",
    "VoiceSettings",
    "WarpOptions",
]

#: Longest caption (the bold line at the top of the frame). The caption widget shrinks a
#: caption and its subcaption together to fit the frame's width; at the theme's sizes
#: (DejaVu Sans, 30 bold and 22) ordinary text averages 0.24 and 0.16 frame units a
#: character, and 13.4 units are free, so about 55 and 85 characters fit at full size.
#: The limits keep a story's own words at 85 % of full size or more (tested against the
#: real widget in tests/story/test_story_limits.py).
CAPTION_MAX_CHARS = 64
#: Longest subcaption (the smaller grey line under the caption); see CAPTION_MAX_CHARS.
SUBCAPTION_MAX_CHARS = 100
#: Longest narration of one beat: about 25 seconds of speech (~16 characters a second).
#: The picture holds still while a long narration is spoken.
NARRATION_MAX_CHARS = 400
#: ``nnwarp render -q``: 480p15, 720p30, 1080p60, 1440p60, 2160p60.
Quality = Literal["l", "m", "h", "p", "k"]
QUALITIES: tuple[str, ...] = get_args(Quality)
#: The videos nnwarp renders (``nnwarp render --format``, without the PNG frames).
VideoFormat = Literal["mp4", "webm", "gif", "mov"]
VIDEO_FORMATS: tuple[str, ...] = get_args(VideoFormat)
#: What a story renders to: an MP4 (H.264 and AAC, chapters, faststart), the video that
#: course pages embed, with the story's voice and chapters. A story's ``[render] format``
#: and ``output`` are checked against it as it is read; another format is refused then.
STORY_FORMAT = "mp4"
#: Why a story renders an MP4 (and nothing else), for messages.
STORY_FORMAT_WHY = "a story renders an MP4 (the video courses embed, with its voice and chapters)"
#: ``nnwarp render --x264-preset``.
X264Preset = Literal[
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower"
]
X264_PRESETS: tuple[str, ...] = get_args(X264Preset)
#: The voices a story can ask for (``scenes.voice``'s engines): ``none`` renders a silent
#: video with captions; ``auto`` is hibari, or espeak-ng when hibari is not installed.
Engine = Literal["hibari", "espeak", "piper", "none", "auto"]
VOICE_ENGINES: tuple[str, ...] = get_args(Engine)
#: The engine used when ``[voice]`` does not name one.
DEFAULT_ENGINE: Engine = "hibari"
#: The tables of per-scene options, each named as its scene.
SCENE_TABLES = ("warp", "explainer", "anatomy", "evolution")

_DATA, _MODEL, _TRAIN = DataConfig(), ModelConfig(), TrainConfig()


class _Table(BaseModel):
    """A TOML table: no unknown keys, TOML's own types (no "300" for 300), immutable.

    Two tables are equal when their values are, wherever they were read from.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BaseModel):
            return NotImplemented
        return type(self) is type(other) and self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash(repr(self.model_dump()))


Caption = Annotated[
    str,
    AfterValidator(
        v.text_check(
            "caption",
            CAPTION_MAX_CHARS,
            one_line=True,
            hint="move details to subcaption, or to narration, which is spoken",
        )
    ),
]
Subcaption = Annotated[
    str,
    AfterValidator(
        v.text_check(
            "subcaption",
            SUBCAPTION_MAX_CHARS,
            one_line=True,
            hint="move details to narration, which is spoken",
            blank=True,
        )
    ),
]
Title = Annotated[
    str,
    AfterValidator(v.text_check("title", CAPTION_MAX_CHARS, one_line=True, hint="say it shorter")),
]
Narration = Annotated[
    str,
    AfterValidator(
        v.text_check(
            "narration",
            NARRATION_MAX_CHARS,
            one_line=False,
            hint="about 25 seconds of speech, while the picture holds still; say less",
        )
    ),
]
Name = Annotated[str, Field(min_length=1)]

_WIDTHS = WithJsonSchema(
    {
        "anyOf": [
            {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_WIDTH}},
            {"type": "string"},
            {"type": "integer"},
        ]
    }
)
_ACTIVATIONS = WithJsonSchema(
    {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
            {"type": "string"},
        ]
    }
)
_COLUMNS = WithJsonSchema(
    {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3},
            {"type": "string"},
        ]
    }
)
_SIZE = WithJsonSchema(
    {
        "anyOf": [
            {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
            {"type": "string"},
        ]
    }
)


class TrainOptions(_Table):
    """[train]: the network to train, with ``nnwarp train``'s options and defaults.

    Without ``[train]`` (and without ``trajectory``) the default network is trained.
    Trained networks are cached, so a second render does not train again.
    """

    dataset: Annotated[str, AfterValidator(v.dataset_name)] = Field(
        default=_DATA.name,
        description="A built-in dataset (moons, circles, spiral, ...: `nnwarp list`), or a "
        ".csv (x,y,label) or .npz (X, y) file, relative to the story file's folder.",
        examples=["moons", "data/wine.csv"],
    )
    columns: Annotated[
        list[str] | None,
        BeforeValidator(v.split_text),
        Field(min_length=3, max_length=3),
        _COLUMNS,
    ] = Field(
        default=None,
        description="A CSV's two feature columns, then its label column, by name or by "
        "position from 0 (default x, y, label).",
        examples=[["alcohol", "proline", "cultivar"]],
    )
    standardize: bool | None = Field(
        default=None,
        description="Scale each input column to mean 0, standard deviation 1 before the "
        "first layer (default: true for files, false for built-in datasets).",
    )
    samples: int | None = Field(
        default=None, ge=4, le=MAX_POINTS, description="Number of points (built-in datasets)."
    )
    noise: float | None = Field(
        default=None, ge=0, allow_inf_nan=False, description="Noise level (built-in datasets)."
    )
    arms: int = Field(
        default=_DATA.arms, ge=2, description="Spiral arms: the number of classes (spiral)."
    )
    hidden: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_WIDTH)]],
        BeforeValidator(v.whole_numbers),
        Field(max_length=MAX_DEPTH),
        _WIDTHS,
    ] = Field(
        default=list(_MODEL.hidden),
        description=f"Hidden layer widths, e.g. [3, 2] (1 to {MAX_WIDTH} units a layer, at "
        f"most {MAX_DEPTH} layers; [] for logistic regression).",
        examples=[[3, 2], [8, 8, 2]],
    )
    activation: Annotated[
        list[Annotated[str, AfterValidator(v.activation_name)]],
        BeforeValidator(v.activation_names),
        Field(min_length=1),
        _ACTIVATIONS,
    ] = Field(
        default=list(_MODEL.activation),
        description="The hidden layers' activation: one for every layer, or one per layer "
        "(tanh, relu, leaky_relu, sigmoid, elu, softplus, linear).",
        examples=["tanh", ["relu", "relu", "tanh"]],
    )
    optimizer: Literal["adam", "sgd"] = Field(
        default="adam", description="adam, or sgd (with momentum 0.9)."
    )
    lr: float = Field(default=_TRAIN.lr, gt=0, allow_inf_nan=False, description="Learning rate.")
    epochs: int = Field(
        default=_TRAIN.epochs, ge=1, le=100_000, description="Epochs to train (1 to 100000)."
    )
    batch_size: int | None = Field(
        default=None, ge=1, description="Mini-batch size (default: the full batch)."
    )
    weight_decay: float = Field(
        default=_TRAIN.weight_decay, ge=0, allow_inf_nan=False, description="Weight decay."
    )
    target_loss: float | None = Field(
        default=None,
        gt=0,
        allow_inf_nan=False,
        description="Stop once the training loss is this low.",
    )
    test_fraction: float = Field(
        default=_TRAIN.test_fraction,
        ge=0,
        lt=0.9,
        allow_inf_nan=False,
        description="Share of the points held out from training (shown, not learned).",
    )
    snapshots: int | None = Field(
        default=None,
        ge=2,
        le=1000,
        description="Snapshot epochs to export (default 60; the evolution scene picks "
        "enough that nothing jumps).",
    )
    seed: int = Field(
        default=0, ge=0, le=MAX_SEED, description="Random seed: the same seed, the same video."
    )

    @model_validator(mode="after")
    def _agree(self) -> TrainOptions:
        found: list[v.Problem] = []
        if self.columns is not None and not v.is_data_file(self.dataset):
            found.append(
                (
                    ("columns",),
                    f"columns picks columns of a CSV file, but dataset {self.dataset!r} is "
                    "built in; name a .csv file as dataset, or remove columns",
                )
            )
        layers = max(len(self.hidden), 1)
        if len(self.activation) not in (1, layers):
            found.append(
                (
                    ("activation",),
                    f"{len(self.activation)} activations for {len(self.hidden)} hidden "
                    f"layer{'s' * (len(self.hidden) != 1)}: give one for every layer, or "
                    f"exactly {layers}",
                )
            )
        if found:
            raise v.problems(found)
        try:
            self.run_config()
        except ConfigError as exc:  # a rule of nnmodel's that the keys above do not check
            raise v.problem(str(exc)) from None
        return self

    def run_config(self) -> RunConfig:
        """The training run as :class:`~nnmodel.config.RunConfig` (the dataset as written).

        >>> TrainOptions(hidden=[8, 2]).run_config().model.hidden
        (8, 2)
        """
        export = ExportConfig() if self.snapshots is None else ExportConfig(self.snapshots)
        cols = self.columns
        columns = None if cols is None else (cols[0], cols[1], cols[2])
        return RunConfig(
            data=DataConfig(
                self.dataset,
                self.samples,
                self.noise,
                self.arms,
                columns=columns,
                standardize=self.standardize,
            ),
            model=ModelConfig(tuple(self.hidden), tuple(self.activation)),
            train=TrainConfig(
                optimizer=self.optimizer,
                lr=self.lr,
                epochs=self.epochs,
                batch_size=self.batch_size,
                weight_decay=self.weight_decay,
                target_loss=self.target_loss,
                test_fraction=self.test_fraction,
            ),
            export=export,
            seed=self.seed,
        )

    def cli_options(self) -> dict[str, Any]:
        """The options as ``scenes.cli.options.build_config`` reads them (text lists,
        the dataset as written; :meth:`Story.train_options` resolves its path).

        >>> TrainOptions(hidden=[3, 2]).cli_options()["hidden"]
        '3,2'
        """
        out = self.model_dump()
        out["hidden"] = ",".join(map(str, self.hidden))
        out["activation"] = ",".join(self.activation)
        out["columns"] = None if self.columns is None else ",".join(self.columns)
        if out["snapshots"] is None:
            out["snapshots"] = ExportConfig().snapshots
        return out


def _story_format(value: str) -> str:
    """``[render] format``: mp4 (in any case), else the reason it cannot be another."""
    if value.lower() != STORY_FORMAT:
        raise v.problem(f"{STORY_FORMAT_WHY}, not {value!r}: remove format")
    return STORY_FORMAT


def _story_output(value: str) -> str:
    """``[render] output``: an MP4's name, else a name that would be one.

    >>> _story_output("lessons/moons.MP4")
    'lessons/moons.MP4'
    """
    suffix = value.rsplit(".", 1)[-1] if "." in value.rsplit("/", 1)[-1] else ""
    if suffix.lower() != STORY_FORMAT:
        stem = value[: -len(suffix) - 1] if suffix else value
        named = f"ends in .{suffix}" if suffix else "has no suffix"
        raise v.problem(f"output {value!r} {named}; {STORY_FORMAT_WHY}: name it {stem}.mp4")
    return value


class RenderSettings(_Table):
    """[render]: how the video is made (the command line's ``-q``, ``-o``... win over it)."""

    quality: Quality = Field(
        default="h",
        description="l: 480p15 (quick previews), m: 720p30, h: 1080p60, p: 1440p60, k: 2160p60.",
    )
    fps: float | None = Field(
        default=None,
        ge=1,
        le=240,
        allow_inf_nan=False,
        description="Frame rate (overrides the quality's).",
    )
    resolution: Annotated[
        list[Annotated[int, Field(ge=16, le=4096)]] | None,
        BeforeValidator(v.pixel_size),
        Field(min_length=2, max_length=2),
        _SIZE,
    ] = Field(
        default=None,
        description='Width and height in pixels, e.g. [1280, 720] or "1280x720" '
        "(overrides the quality's).",
    )
    format: (
        Annotated[
            str,
            AfterValidator(_story_format),
            WithJsonSchema({"type": "string", "enum": [STORY_FORMAT]}),
        ]
        | None
    ) = Field(
        default=None,
        description="mp4, the only format of a story (the video courses embed, with its voice "
        "and chapters); for a GIF or WebM, render a scene by name with --format.",
    )
    output: Annotated[Name, AfterValidator(_story_output)] | None = Field(
        default=None,
        description="The MP4 to write, relative to the story file's folder (default: the "
        "story's name with .mp4, beside it).",
        examples=["lesson.mp4"],
        json_schema_extra={"pattern": r"\.[mM][pP]4$"},
    )
    theme: Name | None = Field(
        default=None,
        description="A theme file (JSON, like nnwarp's assets/theme.json: colours, fonts, "
        "sizes), relative to the story file's folder.",
    )
    x264_preset: X264Preset | None = Field(
        default=None,
        description="x264 speed preset (default ultrafast for quality l, veryfast otherwise; "
        "slower ones keep a little more fine detail).",
    )
    save_sections: bool = Field(
        default=False,
        description="Must stay false: a story's sections are its MP4's chapters and its "
        ".sections.json; one video per section is for a scene rendered by name "
        "(--save-sections).",
    )

    @model_validator(mode="after")
    def _agree(self) -> RenderSettings:
        if self.save_sections:  # it was accepted and silently ignored
            raise v.problem(
                "a story writes no video per section: its sections are the MP4's chapters and "
                "the times in its .sections.json; remove save_sections, or render one scene "
                "by name with --save-sections",
                ("save_sections",),
            )
        if self.resolution is not None and any(side % 2 for side in self.resolution):
            w, h = self.resolution
            raise v.problem(
                f"{w}x{h} has an odd side, which the video encoder cannot encode; use even "
                f"sizes, e.g. [{w + w % 2}, {h + h % 2}]",
                ("resolution",),
            )
        return self

    @property
    def chosen_format(self) -> str:
        """The format: always :data:`STORY_FORMAT` (``format`` and ``output`` may only say so)."""
        return STORY_FORMAT


class VoiceSettings(_Table):
    """[voice]: who reads the narration aloud (offline; nothing is downloaded)."""

    engine: Engine = Field(
        default=DEFAULT_ENGINE,
        description="hibari (a neural voice, `pip install hibari-tts`), espeak (espeak-ng), "
        "piper (voice: the path of a Piper .onnx voice), auto (hibari, else espeak-ng), or "
        "none: a silent video with captions and subtitles.",
    )
    voice: Name | None = Field(
        default=None,
        description="A voice of the engine (default: the engine's own; for piper, the path "
        "of its .onnx voice).",
    )
    speed: float = Field(
        default=1.0,
        ge=0.5,
        le=2.0,
        allow_inf_nan=False,
        description="Speaking pace: 1 is the engine's normal pace, 0.8 slower, 1.2 faster.",
    )
    pause: float = Field(
        default=0.5,
        ge=0,
        le=10,
        allow_inf_nan=False,
        description="Seconds of quiet after each beat's speech, before the next beat.",
    )
    loudness: float = Field(
        default=-16.0,
        ge=-40,
        le=-6,
        allow_inf_nan=False,
        description="The speech's loudness in LUFS (-16 suits speech online).",
    )

    @model_validator(mode="after")
    def _agree(self) -> VoiceSettings:
        if self.engine == "none" and self.voice is not None:
            raise v.problem(
                f"voice {self.voice!r} with engine 'none' (no voice): choose an engine, or "
                "remove voice",
                ("voice",),
            )
        return self


class WarpOptions(_Table):
    """[warp] or [explainer]: how the space-warping story is shown."""

    epoch: int | None = Field(
        default=None,
        ge=0,
        description="Show the network at this epoch (default: the last; the nearest "
        "snapshot is shown).",
    )
    merge_bias: bool = Field(default=False, description="Show W·x + b as one step.")
    color_by: Literal["class", "position"] = Field(
        default="class",
        description="Colour points by class, or by their position in the input plane "
        "(shows folding).",
    )


class AnatomyOptions(_Table):
    """[anatomy]: the trained network neuron by neuron, following one point."""

    sample: int | None = Field(
        default=None,
        ge=0,
        description="The point to follow, by index (default: the training point nearest "
        "the decision boundary that is still classified right).",
    )
    epoch: int | None = Field(
        default=None, ge=0, description="Show the network at this epoch (default: the last)."
    )


class EvolutionOptions(_Table):
    """[evolution]: the whole training, epoch by epoch."""

    time: Literal["log", "linear"] = Field(
        default="log",
        description="How epochs map to video time: log gives early epochs (where training "
        "changes fast) as much time as late ones.",
    )
    duration: float | None = Field(
        default=None,
        ge=4,
        le=600,
        allow_inf_nan=False,
        description="Seconds of video for the whole training (default 24; pauses come on top).",
    )
    color_by: Literal["class", "position"] = Field(
        default="class", description="Colour points by class, or by input position."
    )


class BeatEdit(_Table):
    """[[beat]]: one beat (one caption's worth of a scene) with your words or timing.

    ``id`` names the beat as the scene's plan does (``NAME.sections.json`` lists them;
    e.g. ``data``, ``layer-1.linear``, ``separator``; ``title`` is the title card a story
    with a ``title`` opens on, its first scene's); ``scene`` is needed only when several
    of the story's scenes have a beat of that id.
    """

    id: Name = Field(
        description="The beat to change, e.g. title (the title card the story's title opens "
        "the video on), data, layer-1.activation, separator.",
        examples=["data", "layer-1.activation", "title"],
    )
    scene: Annotated[str, AfterValidator(v.scene_name)] | None = Field(
        default=None,
        description="The scene of the beat, when several scenes of the story have this id.",
    )
    caption: Caption | None = Field(
        default=None,
        description=f"The caption, the bold line (at most {CAPTION_MAX_CHARS} characters).",
        json_schema_extra={"maxLength": CAPTION_MAX_CHARS},
    )
    subcaption: Subcaption | None = Field(
        default=None,
        description=f"The line under the caption (at most {SUBCAPTION_MAX_CHARS} characters; "
        '"" for none).',
        json_schema_extra={"maxLength": SUBCAPTION_MAX_CHARS},
    )
    narration: Narration | None = Field(
        default=None,
        description="What the voice says (default: the caption and subcaption as one "
        f"sentence; at most {NARRATION_MAX_CHARS} characters).",
        json_schema_extra={"maxLength": NARRATION_MAX_CHARS},
    )
    pause: float | None = Field(
        default=None,
        ge=0,
        le=30,
        allow_inf_nan=False,
        description="Seconds to hold the picture still after the beat (and its speech).",
    )
    duration: float | None = Field(
        default=None,
        gt=0,
        le=120,
        allow_inf_nan=False,
        description="The beat's whole length in seconds (at least what its animations need).",
    )
    skip: bool = Field(default=False, description="Leave this beat out of the video.")

    _where: str = PrivateAttr(default="")

    @property
    def where(self) -> str:
        """``story.toml:31`` where the beat was read from a file (else empty)."""
        return self._where

    @model_validator(mode="after")
    def _agree(self) -> BeatEdit:
        changes = [
            k
            for k in ("caption", "subcaption", "narration", "pause", "duration")
            if getattr(self, k) is not None
        ]
        if self.pause is not None and self.duration is not None:
            raise v.problem(
                "give pause (seconds added) or duration (the whole length), not both",
                ("pause",),
            )
        if self.skip and changes:
            raise v.problem(
                f"a skipped beat is not shown: remove {', '.join(changes)} or skip", ("skip",)
            )
        if not self.skip and not changes:
            raise v.problem(
                f"beat {self.id!r} changes nothing: give caption, subcaption, narration, "
                "pause, duration or skip = true"
            )
        return self


class Story(_Table):
    """An nnwarp story: which network, which scenes in what order, your words, the voice."""

    title: Title | None = Field(
        default=None,
        description="The video's title: the video opens on a title card with it (beat id "
        "title; an explainer first shows it on its own card, an explainer later opens on a "
        "heading for its part), and it names the course page (--course) and its video.",
        examples=["How a network untangles two moons"],
        json_schema_extra={"maxLength": CAPTION_MAX_CHARS},
    )
    scenes: Annotated[
        list[Annotated[str, AfterValidator(v.scene_name)]],
        BeforeValidator(v.split_text),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    {"type": "string"},
                ]
            }
        ),
    ] = Field(
        min_length=1,
        description="The scenes to show, in order: explainer (warp with a title and an end "
        "card), warp, anatomy, evolution.",
        examples=[["explainer", "anatomy"]],
    )
    trajectory: Name | None = Field(
        default=None,
        description="A trained network (.npz from `nnwarp train -o`), relative to the story "
        "file's folder; instead of [train].",
    )
    train: TrainOptions | None = Field(
        default=None, description="The network to train (default: nnwarp's default network)."
    )
    render: RenderSettings = Field(
        default_factory=RenderSettings, description="How the video is made."
    )
    voice: VoiceSettings = Field(
        default_factory=VoiceSettings, description="Who reads the narration aloud."
    )
    warp: WarpOptions | None = Field(default=None, description="Options of the warp scene.")
    explainer: WarpOptions | None = Field(
        default=None, description="Options of the explainer scene."
    )
    anatomy: AnatomyOptions | None = Field(
        default=None, description="Options of the anatomy scene."
    )
    evolution: EvolutionOptions | None = Field(
        default=None, description="Options of the evolution scene."
    )
    beat: list[BeatEdit] = Field(
        default_factory=list,
        description="Beats with your own words or timing, one [[beat]] table each.",
    )

    _source: str = PrivateAttr(default="")
    #: The line of every key path in the file (empty for a story made in Python).
    _lines: dict[tuple[str | int, ...], int] = PrivateAttr(default_factory=dict)

    @property
    def source(self) -> str:
        """The story file as it was named when loaded (empty for a story made in Python)."""
        return self._source

    def where(self, *path: str | int) -> str:
        """``story.toml:12`` where the key ``path`` (or its table) is written, for messages
        about it found after the story was read (empty for a story made in Python).

        >>> Story(scenes=["warp"]).where("anatomy", "sample")
        ''
        """
        if not self._source:
            return ""
        from nnmodel.tomllines import line_of

        return f"{self._source}:{line_of(self._lines, path) or 1}"

    @model_validator(mode="after")
    def _agree(self) -> Story:
        found: list[v.Problem] = []
        if self.trajectory is not None and self.train is not None:
            found.append(
                (
                    ("trajectory",),
                    "a story either trains a network ([train]) or shows a trained one "
                    "(trajectory), not both: remove one",
                )
            )
        for j, name in enumerate(self.scenes):
            if name in self.scenes[:j]:
                found.append((("scenes", j), f"{name!r} is listed twice; list it once"))
        for table in SCENE_TABLES:
            if getattr(self, table) is not None and table not in self.scenes:
                found.append(
                    (
                        (table,),
                        f"options of a scene the story does not show: add "
                        f'"{table}" to scenes, or remove the table',
                    )
                )
        seen: dict[tuple[str | None, str], int] = {}
        for i, edit in enumerate(self.beat):
            if edit.scene is not None and edit.scene not in self.scenes:
                found.append(
                    (
                        ("beat", i, "scene"),
                        f"scene {edit.scene!r} is not one of the story's scenes "
                        f"({', '.join(self.scenes)})",
                    )
                )
            key = (edit.scene, edit.id)
            if key in seen:
                found.append(
                    (
                        ("beat", i, "id"),
                        f"beat {edit.id!r} is changed twice (also by [[beat]] number "
                        f"{seen[key] + 1}); merge the two tables",
                    )
                )
            seen.setdefault(key, i)
        if found:
            raise v.problems(found)
        return self

    def scene_options(self, scene: str) -> dict[str, Any]:
        """The options of one of the story's scenes, as ``RenderOptions.params`` takes them.

        >>> Story(scenes=["anatomy"], anatomy=AnatomyOptions(sample=3)).scene_options("anatomy")
        {'sample': 3}
        """
        table = getattr(self, scene, None) if scene in SCENE_TABLES else None
        if table is None:
            return {}
        return {k: x for k, x in table.model_dump().items() if x is not None}

    def to_render_args(self) -> Any:
        """What ``nnwarp render STORY`` needs, paths resolved: see :mod:`scenes.story.args`."""
        from scenes.story.args import render_args

        return render_args(self)
