"""``nnwarp render``: a scene to a video, training (or reusing the cache) first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from nnmodel.errors import NnwarpError
from scenes.cli.commands import run_training
from scenes.cli.errors import user_errors
from scenes.cli.options import (
    PROCESSES,
    TRAINING_OPTIONS,
    EnvOption,
    build_config,
    choose_format,
    given,
    output_path,
    training_options,
)

if TYPE_CHECKING:
    from nnmodel.config import RunConfig
    from scenes.render import RenderOptions, RenderResult
    from scenes.story import Story
    from scenes.voice import VoiceConfig

__all__ = ["planned_training", "render", "training_kw"]


@click.command()
@click.argument("scene", required=False, default="explainer")
@click.option(
    "-q",
    "--quality",
    type=click.Choice(["l", "m", "h", "p", "k"]),
    default="h",
    show_default=True,
    help="Manim's presets: 480p15, 720p30, 1080p60, 1440p60, 2160p60.",
)
@click.option("-p", "--preview", is_flag=True, help="Open the result when done.")
@click.option("-s", "--save-last-frame", is_flag=True, help="Save only the last frame, as PNG.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mp4", "webm", "gif", "mov", "png"]),
    default=None,
    help="Output format (default mp4, or from -o's suffix).",
)
@click.option("--fps", type=float, default=None, help="Frame rate (overrides the quality preset).")
@click.option(
    "-r", "--resolution", default=None, help="W,H in pixels (overrides the quality preset)."
)
@click.option(
    "-o",
    "--output",
    default=None,
    help="Write the result exactly here; its suffix picks the format (.mp4, .webm, .gif, .mov)"
    " unless --format is given. --format png writes a folder of frames; -s one .png.",
)
@click.option(
    "--media-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("media"),
    show_default=True,
    help="Where renders and cached trajectories go.",
)
@click.option(
    "--trajectory",
    "trajectory_files",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Render from this trajectory file instead of training (compare: repeat, 2-12 files).",
)
@click.option("--retrain", is_flag=True, help="Train again even if a cached trajectory exists.")
@click.option(
    "--quiet", is_flag=True, help="No progress bar (training and rendering); only the result."
)
@click.option(
    "--epoch",
    type=click.IntRange(min=0),
    default=None,
    help="Show the network at this epoch (default: the last).",
)
@click.option("--merge-bias", is_flag=True, help="Show W·x + b as one step.")
@click.option(
    "--color-by",
    type=click.Choice(["class", "position"]),
    default="class",
    show_default=True,
    help="Colour points by class, or by input position (shows folding).",
)
@click.option(
    "--time",
    "time_mapping",
    type=click.Choice(["log", "linear"]),
    default=None,
    help="evolution: how epochs map to video time: log (default) gives the early epochs, where"
    " training changes fast, as much time as the late ones; linear gives every epoch the same"
    " time, to show how long each phase really takes.",
)
@click.option(
    "--duration",
    type=float,
    default=None,
    help="evolution: seconds of video for the whole training (default 24; pauses come on top).",
)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=None,
    metavar="INDEX",
    help="anatomy: the point to follow, by index (default: a training point near the decision"
    " boundary that the network gets clearly right, p ≥ 0.6, and whose gradient flows back).",
)
@click.option(
    "--voice",
    "voice_engine",
    default="hibari",
    show_default=True,
    envvar="NNWARP_VOICE",
    metavar="ENGINE",
    help="Who narrates (MP4 only): hibari (neural, offline), espeak (espeak-ng), auto (hibari,"
    " else espeak), none (silent, captions only). Env: NNWARP_VOICE.",
)
@click.option(
    "--course",
    "course_dir",
    type=click.Path(path_type=Path, file_okay=True),
    default=None,
    metavar="DIR",
    help="Also write a course package in DIR: the MP4 (AAC, chapters, faststart), subtitles,"
    " chapters, poster, transcript and an index.html to upload.",
)
@click.option(
    "--poster-beat",
    default=None,
    metavar="BEAT",
    help="course: the beat the poster shows (an id from NAME.sections.json).",
)
@click.option(
    "--title", default=None, help="course: the page's title (default: the first caption)."
)
@click.option(
    "-j",
    "--jobs",
    cls=EnvOption,
    type=PROCESSES,
    default=None,
    envvar="NNWARP_JOBS",
    takes="a whole number of processes, 1 or more (1: no other process)",
    unset="one per core",
    metavar="N",
    help="Render the sections in N processes, joined without re-encoding (default: one per"
    " core; MP4). Env: NNWARP_JOBS.",
)
@click.option(
    "--cache/--no-cache",
    "use_cache",
    cls=EnvOption,
    default=True,
    envvar="NNWARP_CACHE",
    takes="1 to reuse sections rendered before or 0 not to (or true/false, yes/no, on/off)",
    unset="reused",
    help="Reuse sections rendered before that nothing has changed (MEDIA_DIR/cache/sections);"
    " on by default for MP4s. Env: NNWARP_CACHE=0.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Render again each time the story, data or trajectory file changes (Ctrl-C stops).",
)
@click.option(
    "--theme",
    "theme_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    metavar="FILE",
    help="Draw with your theme: a JSON file of nnwarp's theme keys to change (colours, fonts,"
    ' sizes), e.g. {"background": "#FFFFFF", "text": "#111111"}.',
)
@click.option("--save-sections", is_flag=True, help="Also write one video per section (chapters).")
@click.option(
    "--section",
    "sections",
    multiple=True,
    help="Render only this section (repeat for several); names as in NAME.sections.json,"
    " e.g. --section 'Layer 2'. It looks exactly as it does inside the whole video.",
)
@click.option(
    "--x264-preset",
    "x264_preset",
    type=click.Choice(
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower"]
    ),
    default=None,
    help="x264 speed preset (default: ultrafast for -ql previews, veryfast otherwise; slower"
    " ones encode 2-2.5x longer for a little more fine detail).",
)
@click.option(
    "--preset",
    default=None,
    metavar="NAME",
    help="compare: a grid of runs (sandwich-grid, spiral-depth; `nnwarp list`). An x264 "
    "preset name here still works, as --x264-preset.",
)
@click.option(
    "--sweep",
    "sweep_file",
    type=click.Path(path_type=Path),
    default=None,
    help="compare: a sweep file (TOML: [base] options, [grid] rows/columns).",
)
@click.option(
    "--vary",
    "vary",
    multiple=True,
    metavar="OPTION=V1,V2",
    help="compare: the runs' options vary over these values (the first --vary: rows, the "
    "second: columns), the other training options are shared; e.g. --vary lr=0.1,0.01.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="compare: training processes (default: one per core).",
)
@training_options
@user_errors
@click.pass_context
def render(
    ctx: click.Context,
    /,
    scene: str,
    quality: str,
    preview: bool,
    save_last_frame: bool,
    fmt: str | None,
    fps: float | None,
    resolution: str | None,
    output: str | None,
    media_dir: Path,
    trajectory_files: tuple[Path, ...],
    retrain: bool,
    epoch: int | None,
    merge_bias: bool,
    color_by: str,
    save_sections: bool,
    sections: tuple[str, ...],
    x264_preset: str | None,
    preset: str | None,
    sweep_file: Path | None,
    vary: tuple[str, ...],
    workers: int | None,
    quiet: bool,
    time_mapping: str | None,
    duration: float | None,
    sample: int | None,
    voice_engine: str,
    jobs: int | None,
    use_cache: bool,
    watch: bool,
    theme_file: Path | None,
    course_dir: Path | None,
    poster_beat: str | None,
    title: str | None,
    **kw: Any,
) -> None:
    """Render SCENE (default: explainer; `nnwarp list` shows them all) as a video.

    Trains the network first (cached under MEDIA_DIR/trajectories) unless --trajectory is given.
    Every output path is checked before any work: nnwarp replaces only files it wrote itself.
    """
    from scenes import registry
    from scenes import render as r

    if watch:
        from scenes.cli.watch import watch as watching

        if not watched_files(scene, trajectory_files, kw, theme_file):
            raise click.UsageError(
                "--watch renders again when a file changes, and this render reads none: "
                "watch a story file, a --trajectory or a --dataset file"
            )
        again = {**ctx.params, "watch": False}

        def run() -> None:
            if scene.lower().endswith(".toml"):
                from scenes.cli.story import render_story_file

                # this context still knows which options were typed (a story takes those)
                render_story_file(ctx, Path(scene))
            else:
                ctx.invoke(render, **again)

        watching(lambda: watched_files(scene, trajectory_files, kw, theme_file), run)
        return
    if scene.lower().endswith(".toml"):
        from scenes.cli.story import render_story_file

        render_story_file(ctx, Path(scene))
        return
    spec = registry.spec(scene)
    scene = spec.name
    if preset is not None and preset in r.PRESETS:  # the old meaning of --preset
        click.echo(f"note: --preset {preset} is now --x264-preset {preset}", err=True)
        x264_preset, preset = preset, None
    grid_flags = [
        f
        for f, v in (
            ("--preset", preset),
            ("--sweep", sweep_file),
            ("--vary", vary),
            ("--workers", workers),
        )
        if v
    ]
    if spec.needs != "trajectories" and grid_flags:
        raise click.UsageError(
            f"{', '.join(grid_flags)} make{'s' if len(grid_flags) == 1 else ''} a grid of runs, "
            f"which {scene} does not show: render it with `nnwarp render compare`"
        )
    if spec.needs != "trajectories" and len(trajectory_files) > 1:
        raise click.UsageError(
            f"{scene} shows one run: give one --trajectory (several are compared by "
            "`nnwarp render compare`)"
        )
    evolution = {"time": time_mapping, "duration": duration}
    if duration is not None:
        from scenes.evolution.timing import MAX_DURATION, MIN_DURATION

        if not MIN_DURATION <= duration <= MAX_DURATION:
            raise click.BadParameter(
                f"{duration:g} is outside {MIN_DURATION:g} to {MAX_DURATION:g} seconds",
                param_hint="--duration",
            )
    if scene != "evolution" and any(v is not None for v in evolution.values()):
        flags = [f"--{k}" for k, v in evolution.items() if v is not None]
        raise click.UsageError(
            f"{', '.join(flags)} {'is an option' if len(flags) == 1 else 'are options'} of the "
            f"evolution scene, not of {scene}: render evolution, or drop {', '.join(flags)}"
        )
    if sample is not None and scene != "anatomy":
        raise click.UsageError(
            f"--sample picks the point the anatomy follows, not an option of {scene}: "
            "render anatomy, or drop --sample"
        )
    out = output_path(output)
    fmt = choose_format(fmt, out, save_last_frame)
    voice = voice_for(ctx, voice_engine, fmt, save_last_frame)
    opts = r.RenderOptions(
        scene=scene.lower(),
        quality=quality,
        fps=fps,
        resolution=r.parse_resolution(resolution) if resolution else None,
        fmt=fmt,
        save_last_frame=save_last_frame,
        output=out,
        media_dir=media_dir,
        save_sections=save_sections,
        preset=x264_preset,
        progress=not quiet,
        course=course_dir,
        poster_beat=poster_beat,
        title=title,
        voice=voice,
        jobs=jobs_for(jobs),
        cache=use_cache,
        theme=theme_file,
        params={
            "epoch": epoch,
            "merge_bias": merge_bias,
            "color_by": color_by,
            **({"sections": list(sections)} if sections else {}),
            **{k: v for k, v in evolution.items() if v is not None},
            **({"sample": sample} if sample is not None else {}),
        },
    )
    if spec.needs == "trajectories":
        source = grid_for_render(
            ctx, opts, kw, trajectory_files, preset, sweep_file, vary, workers, retrain
        )
        report(r.render(source, opts), preview)
        return
    trajectory_file = trajectory_files[0] if trajectory_files else None
    if trajectory_file is None:
        trajectory_file = train_for_render(opts, training_kw(ctx, scene, kw), retrain)
    else:
        clash = given(ctx, TRAINING_OPTIONS)
        if clash:
            raise click.UsageError(
                f"{', '.join(clash)} {'has' if len(clash) == 1 else 'have'} no effect with "
                "--trajectory (the network in the file is already trained); drop "
                f"{'it' if len(clash) == 1 else 'them'}, or drop --trajectory to train anew"
            )
    if epoch is not None:
        from nnmodel.trajectory import load

        traj = load(trajectory_file)
        shown = int(traj.epochs[traj.snapshot_for_epoch(epoch)])
        if shown != epoch:
            click.echo(
                f"no snapshot at epoch {epoch}; showing the nearest, epoch {shown}", err=True
            )
    report(r.render(trajectory_file, opts), preview)


def report(result: RenderResult, preview: bool) -> None:
    """Say what a render wrote: side files and notes on stderr, the result on stdout."""
    from scenes import render as r

    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    for extra in [*result.subtitles, *result.sections]:
        click.echo(f"  wrote {extra}", err=True)
    if result.course is not None:
        click.echo(f"  wrote the course package {result.course}/ (open index.html)", err=True)
    if preview:
        click.echo(r.preview(result.output), err=True)
    click.echo(str(result.output))


def watched_files(
    scene: str, trajectories: tuple[Path, ...], kw: dict[str, Any], theme: Path | None = None
) -> list[Path]:
    """The files a render is made from: the story (and what it names), the trajectory
    files, or the data file it trains on, and the theme file."""
    files: list[Path] = [] if theme is None else [theme]
    if scene.lower().endswith(".toml"):
        story = Path(scene)
        files.append(story)
        try:
            from scenes.story import load_story

            args = load_story(story).to_render_args()
        except Exception:  # noqa: BLE001 (a broken story: the render says why; watch it)
            return files
        if args.trajectory is not None:
            files.append(args.trajectory)
        if args.theme is not None and theme is None:
            files.append(args.theme)
        data = (args.train or {}).get("dataset")
        if data and Path(str(data)).suffix.lower() in (".csv", ".npz"):
            files.append(Path(str(data)))
        return files
    files += list(trajectories)
    data = kw.get("dataset")
    if not trajectories and data and Path(str(data)).suffix.lower() in (".csv", ".npz"):
        files.append(Path(str(data)))
    return files


def jobs_for(jobs: int | None) -> int:
    """``-j``: the processes to render in (default: one per core; its type,
    :data:`~scenes.cli.options.PROCESSES`, refused 0 or less)."""
    from scenes.render.parallel import cores

    return cores() if jobs is None else jobs


def voice_for(ctx: click.Context, engine: str, fmt: str, still: bool) -> VoiceConfig | None:
    """The narrator of an MP4 render (None: silent). Checked before any work: an unknown
    engine, or a voice typed for a format without sound, is refused; a voice from the
    environment (``NNWARP_VOICE``) is a default, silently none where there is no sound."""
    from scenes.cli.errors import Refused
    from scenes.voice import VoiceConfig, engine_names

    source = ctx.get_parameter_source("voice_engine")
    try:
        config = VoiceConfig(engine=engine.strip().lower())  # refuses an unknown engine
    except NnwarpError:
        if source != ParameterSource.ENVIRONMENT:
            raise
        names = engine_names()
        raise Refused(
            f"the environment variable NNWARP_VOICE is {engine!r}: it sets --voice and takes "
            f"a voice engine, {', '.join(names[:-1])} or {names[-1]}; change it or unset it "
            "(hibari)"
        ) from None
    if config.engine == "none":
        return None
    if still or fmt != "mp4":
        if source in (ParameterSource.DEFAULT, ParameterSource.ENVIRONMENT):
            return None  # a default voice: silently none where there is no sound
        what = "a still" if still or fmt == "png" else f"a {fmt.upper()}"
        raise click.UsageError(
            f"--voice {engine}: {what} has no sound; the voice is spoken into MP4s "
            "(render an MP4, or drop --voice)"
        )
    return config


def evolution_snapshots(epochs: int, mapping: str | None, duration: float | None) -> int:
    """Snapshots for the evolution scene: enough that nothing visibly jumps (at most 300,
    which keeps the default network's file near 40 MB; frames between are interpolated)."""
    from scenes.evolution.plan import snapshots_wanted
    from scenes.evolution.timing import Clock

    last = min(max(int(epochs), 1), 100_000)  # the config refuses other counts, with a reason
    clock = Clock(last, mapping or "log", **({} if duration is None else {"duration": duration}))
    return min(snapshots_wanted(clock), 300)


def training_kw(ctx: click.Context, scene: str, kw: dict[str, Any]) -> dict[str, Any]:
    """The training options ``kw`` of a render of ``scene`` (parsed in ``ctx``) as it
    trains them: the evolution asks for enough snapshots for its clock, unless typed."""
    if scene == "evolution" and ctx.get_parameter_source("snapshots") not in (
        ParameterSource.COMMANDLINE,
        ParameterSource.ENVIRONMENT,
    ):
        p = ctx.params
        snapshots = evolution_snapshots(kw["epochs"], p["time_mapping"], p["duration"])
        return {**kw, "snapshots": snapshots}
    return kw


def planned_training(ctx: click.Context) -> RunConfig | None:
    """The training ``nnwarp render`` parsed in ``ctx`` would run (``None``: it reads a
    trajectory, renders a story or a grid, or would refuse its options: then the render
    says why). A batch trains it once for every job that would.
    """
    from scenes import registry

    p = ctx.params
    scene = str(p["scene"])
    if scene.lower().endswith(".toml") or p["trajectory_files"]:
        return None
    try:
        spec = registry.spec(scene)
        if spec.needs == "trajectories":
            return None
        kw = {k: p[k] for k in TRAINING_OPTIONS if k != "retrain"}
        return build_config(training_kw(ctx, spec.name, kw))
    except (click.ClickException, NnwarpError):
        return None


def train_for_render(
    opts: RenderOptions, kw: dict[str, Any], retrain: bool, story: Story | None = None
) -> Path:
    """Train (or reuse the cached trajectory), after checking the data against the theme
    (and the ``story``, if one is rendered) and every output path."""
    from nnmodel import pipeline, trajectory
    from nnmodel.fileio import check_file_target
    from scenes import registry
    from scenes import render as r
    from scenes.cli.precheck import check_before_training

    prep = pipeline.prepare(build_config(kw))
    check_before_training(prep, opts.theme, story)  # before training, not after
    cache_dir = opts.media_dir / "trajectories"
    cached = pipeline.cache_path(prep, cache_dir)
    check_file_target(
        cached, "--media-dir", trajectory.is_trajectory_file, "trajectory", create=True
    )
    r.check_outputs(opts, cached.stem, registry.spec(opts.scene).cls.__name__)
    path, trained = run_training(prep, None, cache_dir, retrain, not opts.progress)
    if not trained and opts.progress:  # --quiet: only the result
        click.echo(f"using cached trajectory {path}", err=True)
    return path


def grid_for_render(
    ctx: click.Context,
    opts: RenderOptions,
    kw: dict[str, Any],
    files: tuple[Path, ...],
    preset: str | None,
    sweep_file: Path | None,
    vary: tuple[str, ...],
    workers: int | None,
    retrain: bool,
) -> Any:
    """The runs of a comparison: files, or a sweep trained (or found in the cache) after
    checking every output path."""
    from nnmodel import sweep
    from scenes import registry
    from scenes import render as r
    from scenes.compare.grid import GridSource

    sources = [
        f
        for f, v in (
            ("--trajectory", files),
            ("--preset", preset),
            ("--sweep", sweep_file),
            ("--vary", vary),
        )
        if v
    ]
    if len(sources) != 1:
        raise click.UsageError(
            "compare shows a grid of runs: give one of --preset NAME, --sweep FILE, "
            "--vary OPTION=VALUES (up to two) or --trajectory FILE (2-12 times)"
            + (f"; not {' and '.join(sources)} together" if sources else "")
        )
    clash = given(ctx, TRAINING_OPTIONS)
    if files:
        if clash:
            raise click.UsageError(
                f"{', '.join(clash)}: no effect with --trajectory (the runs are trained)"
            )
        return GridSource.from_files(files)
    if preset is not None:
        extra = [c for c in clash if c != "--seed"]
        if extra:
            raise click.UsageError(
                f"{', '.join(extra)}: the preset sets every run's options (only --seed may "
                "change); to change others, use --vary or a sweep file"
            )
        grid = sweep.from_preset(preset, seed=kw["seed"] if "--seed" in clash else None)
    elif sweep_file is not None:
        if clash:
            raise click.UsageError(f"{', '.join(clash)}: a sweep file sets every run's options")
        grid = sweep.load(sweep_file)
    else:
        if len(vary) > 2:
            raise click.UsageError("--vary: at most two (rows, then columns)")
        axes = [sweep.parse_vary(v) for v in vary]
        for axis in axes:  # the --vary values would win: the option silently ignored
            flag = "--" + axis.option.replace("_", "-")
            if flag in clash:
                raise click.UsageError(
                    f"{flag} and --vary {axis.option}=...: the option is varied, so give "
                    "its values to --vary only"
                )
        grid = sweep.grid(build_config(kw), *axes)
    cache_dir = opts.media_dir / "trajectories"
    stem = GridSource(sweep.cache_paths(grid, cache_dir), grid.labels, grid.name).stem
    r.check_outputs(opts, stem, registry.spec(opts.scene).cls.__name__)
    n = sum(len(row) for row in grid.cells)
    done = [0]

    def report(label: str, path: Path, trained: bool) -> None:
        done[0] += 1
        what = "trained" if trained else "cached "
        if opts.progress:  # --quiet: only the result
            click.echo(f"  {what} {done[0]}/{n}: {label}", err=True)

    from nnmodel.fileio import begin_work

    begin_work()
    trained = sweep.train(grid, cache_dir, workers=workers, retrain=retrain, on_cell=report)
    return GridSource(trained.paths, grid.labels, grid.name, grid.description, grid.varies)
