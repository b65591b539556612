"""A batch's jobs, read from jobs files and story files and checked before any work.

A jobs file is TOML with ``[[job]]`` tables whose keys are ``nnwarp render``'s long option
names (``trajectory = "t.npz"``, ``quality = "l"``, ``output = "a.mp4"``, ``scene =
"warp"``, ``merge-bias = true``); paths are relative to the jobs file's folder. Any other
``.toml`` file is a story file: one job, ``nnwarp render STORY``, written beside it.

Every job is checked as ``nnwarp render`` would check it, with the options read from the
render command itself (so the two never disagree): unknown keys (with the close name),
values of the wrong type, missing input files, output names and output files nnwarp did not
write. Two jobs may not write the same file. All problems are reported together, before
anything is rendered.

Example
-------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "t.npz").write_bytes(b"stand-in")
>>> _ = (folder / "jobs.toml").write_text(
...     '[[job]]\\nscene = "warp"\\ntrajectory = "t.npz"\\nqualty = "l"\\n')
>>> load_jobs([folder / "jobs.toml"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
scenes.errors.RenderError: ...jobs.toml, job 1: unknown key 'qualty' (did you mean 'quality'?)
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from nnmodel import __version__
from nnmodel.errors import NnwarpError
from scenes.errors import RenderError

if TYPE_CHECKING:
    from nnmodel.config import RunConfig
    from scenes.render.outputs import Target

__all__ = ["REFUSED", "Job", "OptionSpec", "load_jobs", "render_options"]

#: Render options a batch job cannot take, and why.
REFUSED = {
    "preview": "a batch opens no viewer; open the outputs yourself",
    "media-dir": "each job renders in a temporary folder of its own; give `output` instead",
    "quiet": "a batch shows one progress bar for all jobs; give --quiet to `nnwarp batch`",
}
#: Options whose value is a file the job reads (paths relative to the jobs file's folder).
_DATA_SUFFIXES = (".csv", ".npz")
_MAX_PROBLEMS = 20


@dataclass(frozen=True)
class OptionSpec:
    """One key a job may have: a long option (or the scene argument) of ``nnwarp render``."""

    key: str
    flag: str
    #: ``"flag"``, ``"int"``, ``"float"``, ``"text"``, ``"choice"``, ``"path"`` or ``"scene"``.
    kind: str
    multiple: bool = False
    #: The flag that turns a boolean option off (``--no-standardize``), if it has one.
    off_flag: str | None = None

    def wants(self) -> str:
        """What the key takes, in words."""
        words = {
            "flag": "true or false",
            "int": "a whole number",
            "float": "a number",
            "path": "a file path in quotes",
        }.get(self.kind, "text in quotes")
        return f"{words}, or a list of them" if self.multiple else words


@cache
def render_options() -> dict[str, OptionSpec]:
    """The keys a job may have, read from the ``nnwarp render`` command: long name → spec."""
    from scenes.cli.rendering import render

    specs: dict[str, OptionSpec] = {}
    for param in render.params:
        if isinstance(param, click.Argument):
            specs["scene"] = OptionSpec("scene", "", "scene")
            continue
        if not isinstance(param, click.Option):
            continue
        flag = next(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
        off = next((o for o in param.secondary_opts if o.startswith("--")), None)
        if param.is_flag:
            kind = "flag"
        elif isinstance(param.type, click.types.IntParamType):
            kind = "int"
        elif isinstance(param.type, click.types.FloatParamType):
            kind = "float"
        elif isinstance(param.type, click.Choice):
            kind = "choice"
        elif isinstance(param.type, click.Path):
            kind = "path"
        else:
            kind = "text"
        specs[flag[2:]] = OptionSpec(flag[2:], flag, kind, bool(param.multiple), off)
    return specs


@dataclass(frozen=True)
class Job:
    """One render of a batch, checked: what to run and where its files go."""

    #: The jobs file or story file it came from, and its place there (from 1).
    source: Path
    number: int
    #: How the user named the source (for messages).
    shown: str
    #: The scene's name, or the absolute path of a story file.
    scene: str
    #: ``nnwarp render``'s options, input paths absolute, without ``--output``.
    args: tuple[str, ...]
    #: Where the result goes (absolute).
    output: Path
    #: Files the job reads (absolute); their contents are part of :attr:`key`.
    inputs: tuple[Path, ...]
    #: Everything the render writes: the result first, then subtitles, sections.
    targets: tuple[Target, ...]
    #: A hash of all the job depends on (options, input contents, nnwarp's version).
    key: str
    #: The network the render would train first (``None``: it reads a trajectory, or is a
    #: grid); the batch trains each once (:mod:`scenes.cli.batch_training`).
    training: RunConfig | None = None

    @property
    def label(self) -> str:
        """``jobs.toml #2`` (or the story file's name)."""
        return self.shown if self.number == 0 else f"{self.shown} #{self.number}"


def load_jobs(paths: Sequence[Path], shown: Sequence[str] | None = None) -> list[Job]:
    """Read and check every job in ``paths`` (jobs files or story files), in order.

    Raises
    ------
    RenderError
        Every problem found, one line each (unknown keys with the close option name, wrong
        types, missing input files, unusable or foreign outputs, outputs two jobs share).
    """
    problems: list[str] = []
    jobs: list[Job] = []
    digests: dict[Path, str] = {}
    for i, path in enumerate(paths):
        name = shown[i] if shown is not None else str(path)
        try:
            tables = _read(Path(path), name)
        except RenderError as exc:
            problems.append(str(exc))
            continue
        source = Path(os.path.abspath(path))
        for number, table in tables:
            where = name if number == 0 else f"{name}, job {number}"
            try:
                jobs.append(_job(source, number, name, table, digests))
            except (NnwarpError, click.ClickException) as exc:
                message = exc.format_message() if isinstance(exc, click.ClickException) else exc
                for line in getattr(exc, "problems", None) or [str(message)]:
                    line = _one_line(line)
                    if line.startswith(str(source)):  # a story's own problems name the file
                        problems.append(name + line[len(str(source)) :])
                    else:
                        problems.append(f"{where}: {line}")
    problems.extend(_shared_outputs(jobs))
    if problems:
        head = (
            "a job has a problem" if len(problems) == 1 else f"{len(problems)} problems in the jobs"
        )
        shown_problems = problems[:_MAX_PROBLEMS]
        more = len(problems) - len(shown_problems)
        lines = [*shown_problems, *([f"... and {more} more"] if more else [])]
        raise RenderError(f"{head}; nothing was rendered:\n  " + "\n  ".join(lines))
    return jobs


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _read(path: Path, shown: str) -> list[tuple[int, dict[str, Any]]]:
    """The job tables of a jobs file (numbered from 1), or a story file's one job (0)."""
    if path.suffix.lower() != ".toml":
        raise RenderError(
            f"{shown} is not a .toml file; give jobs files ([[job]] tables) or story files"
        )
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"{shown} does not exist") from None
    except IsADirectoryError:
        raise RenderError(f"{shown} is a folder; give the .toml file itself") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"{shown} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RenderError(f"{shown} is not valid TOML: {exc}") from None
    if "job" not in doc:
        for key in difflib.get_close_matches("job", list(doc), n=3, cutoff=0.6):
            tables = doc[key]
            if isinstance(tables, list) and tables and all(isinstance(t, dict) for t in tables):
                raise RenderError(f"{shown}: [[{key}]] tables; did you mean [[job]]?")
        return [(0, {"scene": os.path.abspath(path)})]  # a story file: `nnwarp render STORY`
    tables = doc["job"]
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise RenderError(f"{shown}: write each job as a [[job]] table (two brackets)")
    if not tables:
        raise RenderError(f"{shown} has no jobs; add [[job]] tables")
    other = [k for k in doc if k != "job"]
    if other:
        raise RenderError(
            f"{shown}: unknown top-level key {other[0]!r}; a jobs file holds only [[job]] tables"
        )
    return [(n, t) for n, t in enumerate(tables, start=1)]


def _job(
    source: Path, number: int, shown: str, table: dict[str, Any], digests: dict[Path, str]
) -> Job:
    """Check one job table and build its :class:`Job`."""
    from scenes.cli.rendering import planned_training, render

    specs = render_options()
    folder = source.parent
    values: dict[str, Any] = {}
    for raw, value in table.items():
        key = raw.replace("_", "-")
        if key in REFUSED:
            raise RenderError(f"{raw}: {REFUSED[key]}")
        if key not in specs and key != "output":
            close = difflib.get_close_matches(key, [*specs, "output"], n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise RenderError(f"unknown key {raw!r}{hint}")
        if key in values:
            raise RenderError(f"{raw} is given twice (as {key!r} and {raw!r}); keep one")
        values[key] = value
    scene = values.pop("scene", "explainer")
    if not isinstance(scene, str):
        raise RenderError(f"scene takes text in quotes, not {_toml(scene)}")
    inputs: list[Path] = []
    story = scene.lower().endswith(".toml")
    story_output: Path | None = None
    training: RunConfig | None = None
    if story:
        scene = str(_input(folder, scene, "scene"))
        story_output, story_inputs, training = _story_facts(Path(scene))
        inputs.extend([Path(scene), *story_inputs])
    output_value = values.pop("output", None)
    args: list[str] = []
    for key in sorted(values):
        spec = specs[key]
        items = values[key] if spec.multiple and isinstance(values[key], list) else [values[key]]
        for item in items:
            token = _token(spec, item)
            if token is None:
                continue
            if spec.kind == "path" or (key == "dataset" and _is_data_file(token)):
                path = _input(folder, token, key)
                inputs.append(path)
                token = str(path)
            args.extend([token] if spec.kind == "flag" else [spec.flag, token])
    if story_output is not None and output_value is None:
        output = story_output
    else:
        output = _output(source, number, output_value, values)
    argv = [scene, *args, "--output", str(output)]
    with render.make_context("render", argv) as ctx:  # click's own checks of every value
        params = dict(ctx.params)
        if not story:
            training = planned_training(ctx)
    if not story:
        from scenes.registry import spec as scene_spec

        scene_spec(scene)
        _check_theme(params, training)
    targets = _targets(params, output)
    key = _key(scene, args, inputs, targets[0].path.suffix, digests)
    return Job(
        source, number, shown, scene, tuple(args), output, tuple(inputs), targets, key, training
    )


def _story_facts(path: Path) -> tuple[Path | None, list[Path], RunConfig | None]:
    """A story file's own output, the files it reads (its trajectory, data, theme) and the
    network it trains, checked as ``nnwarp render STORY`` checks them; nothing known without
    :mod:`scenes.story`, which then renders (or refuses) the story in the worker."""
    try:
        from scenes.story import load_story
    except ImportError:
        return None, [], None
    from scenes.cli.story import story_training

    story = load_story(path)
    args = story.to_render_args()  # a StoryError lists every problem
    train = getattr(args, "train", None) or {}
    read = [getattr(args, "trajectory", None), train.get("dataset"), getattr(args, "theme", None)]
    files = [Path(os.path.abspath(f)) for f in read if f is not None and Path(f).is_file()]
    output = getattr(args, "output", None)
    where = Path(os.path.abspath(output)) if output is not None else None
    training = story_training(story, args)
    _check_before_training(args.trajectory or training, args.theme, story)
    return where, files, training


def _check_theme(params: dict[str, Any], training: RunConfig | None) -> None:
    """A scene job's theme file, checked as ``nnwarp render`` checks it before training:
    against the data its network is trained on, or the data of the one trajectory it
    shows (a grid's runs are checked by its render; its file's keys, colours and fonts
    are checked here)."""
    theme = params.get("theme_file")
    if theme is None:
        return
    files: tuple[Path, ...] = tuple(params.get("trajectory_files") or ())
    network = training if training is not None else files[0] if len(files) == 1 else None
    if network is None:
        from scenes.mobjects.fonts import load_checked_theme

        load_checked_theme(theme)
        return
    _check_before_training(network, Path(theme))


def _check_before_training(
    network: RunConfig | Path | None, theme: Path | None, story: Any = None
) -> None:
    """The checks ``nnwarp render`` makes before training (:mod:`scenes.cli.precheck`),
    made as the job is read, before the batch trains its network. Data that cannot be
    loaded is left to the job's render to report, as for any job (the batch goes on)."""
    from contextlib import suppress

    from nnmodel.errors import ConfigError, DataError, TrajectoryError
    from scenes.cli.precheck import check_before_training

    if network is None:  # its training options are refused: its render says why
        return
    with suppress(ConfigError, DataError, TrajectoryError):
        check_before_training(network, theme, story)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _token(spec: OptionSpec, value: Any) -> str | None:
    """One TOML value as the command-line token of ``spec`` (``None``: a flag left off)."""
    wrong = RenderError(f"{spec.key} takes {spec.wants()}, not {_toml(value)}")
    if spec.kind == "flag":
        if not isinstance(value, bool):
            raise wrong
        if value:
            return spec.flag
        return spec.off_flag
    if isinstance(value, bool | dict):
        raise wrong
    if spec.kind == "int":
        if not isinstance(value, int):
            raise wrong
        return str(value)
    if spec.kind == "float":
        if not isinstance(value, int | float):
            raise wrong
        return repr(float(value)) if isinstance(value, float) else str(value)
    if spec.kind == "text" and not spec.multiple and isinstance(value, list):
        # hidden = [8, 8, 2], resolution = [854, 480]: the comma-separated text
        if not value or not all(isinstance(v, str | int | float) for v in value):
            raise wrong
        if any(isinstance(v, bool) for v in value):
            raise wrong
        return ",".join(str(v) for v in value)
    if spec.kind == "text" and isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        raise wrong
    return value


def _is_data_file(value: str) -> bool:
    return value.lower().endswith(_DATA_SUFFIXES) or os.sep in value


def _input(folder: Path, value: str, key: str) -> Path:
    """A file the job reads, relative to the jobs file's folder; it must exist."""
    if not value.strip():
        raise RenderError(f"{key} is empty; give a file name")
    path = Path(os.path.abspath(folder / Path(value).expanduser()))
    if path.is_dir():
        raise RenderError(f"{key} = {json.dumps(value)} is a folder; give a file")
    if not path.is_file():
        raise RenderError(f"{key} = {json.dumps(value)}: there is no such file ({path})")
    return path


def _output(source: Path, number: int, value: Any, values: dict[str, Any]) -> Path:
    """Where the job's result goes: ``output`` beside the jobs file, or a name of its own."""
    if value is None:
        from scenes.cli.options import choose_format

        still = values.get("save-last-frame") is True
        fmt = choose_format(values.get("format"), None, still)
        stem = source.stem if number == 0 else f"{source.stem}-{number}"
        return source.parent / (stem if fmt == "png" and not still else f"{stem}.{fmt}")
    if not isinstance(value, str):
        raise RenderError(f"output takes a file path in quotes, not {_toml(value)}")
    if not value.strip():
        raise RenderError('output is empty; give a file name, e.g. output = "lesson.mp4"')
    return Path(os.path.abspath(source.parent / Path(value).expanduser()))


def _targets(params: dict[str, Any], output: Path) -> tuple[Target, ...]:
    """What the job will write (checked now, as ``nnwarp render`` checks it)."""
    from scenes import render as r
    from scenes.cli.options import choose_format
    from scenes.render.outputs import check_targets
    from scenes.render.pipeline import plan_outputs

    still = bool(params["save_last_frame"])
    fmt = choose_format(params["fmt"], output, still)
    opts = r.RenderOptions(
        scene=str(params["scene"]).lower(),
        quality=params["quality"],
        fps=params["fps"],
        resolution=r.parse_resolution(params["resolution"]) if params["resolution"] else None,
        fmt=fmt,
        save_last_frame=still,
        output=output,
        save_sections=bool(params["save_sections"]),
        preset=params["x264_preset"],
    )
    targets = [
        dataclasses.replace(t, flag="output") if t.flag == "-o" else t
        for t in plan_outputs(opts, output.stem, "Batch")
    ]
    check_targets(targets)
    return tuple(targets)


def _digest(path: Path, digests: dict[Path, str]) -> str:
    if path not in digests:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        digests[path] = h.hexdigest()
    return digests[path]


def _key(
    scene: str, args: Iterable[str], inputs: list[Path], suffix: str, digests: dict[Path, str]
) -> str:
    """A hash of all the job depends on: its options (input files by their names and
    contents, not their folders: a data file's name is on screen), the kind of output and
    nnwarp's version."""
    by_path = {str(p): f"{p.name} sha256:{_digest(p, digests)}" for p in inputs}
    doc = {
        "nnwarp": __version__,
        "scene": by_path.get(scene, scene),
        "args": [by_path.get(a, a) for a in args],
        "inputs": [by_path[str(p)] for p in inputs],  # a story's files too
        "output": suffix.lower(),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:32]


def _shared_outputs(jobs: list[Job]) -> list[str]:
    """Two jobs may not write the same file (a video, or the subtitles beside it)."""
    seen: dict[Path, Job] = {}
    problems: list[str] = []
    for job in jobs:
        for target in job.targets:
            other = seen.get(target.path)
            if other is not None and other is not job:
                problems.append(
                    f"{other.label} and {job.label} would both write {target.path}; "
                    "give them different outputs"
                )
                break
            seen[target.path] = job
    return problems
