"""Reading and checking a batch's jobs: every problem is found before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scenes.batch.jobs import Job, load_jobs, render_options
from scenes.batch.records import RECORDS_NAME
from scenes.cli.batch import batch
from scenes.errors import RenderError

TRAJ = 'trajectory = "t.npz"\n'


def jobs_file(folder: Path, *jobs: str, name: str = "jobs.toml") -> Path:
    """A jobs file of ``[[job]]`` tables, with a stand-in trajectory beside it."""
    (folder / "t.npz").write_bytes(b"a stand-in: only its presence is checked up front")
    path = folder / name
    path.write_text("".join(f"[[job]]\n{body}\n" for body in jobs))
    return path


def problem(path: Path) -> str:
    with pytest.raises(RenderError) as caught:
        load_jobs([path])
    return str(caught.value)


def test_keys_are_the_render_commands_long_options() -> None:
    keys = render_options()
    assert {"scene", "quality", "trajectory", "output", "merge-bias", "x264-preset"} <= set(keys)
    assert keys["standardize"].off_flag == "--no-standardize"
    assert keys["trajectory"].multiple


def test_unknown_key_names_the_close_option(tmp_path: Path) -> None:
    text = problem(jobs_file(tmp_path, TRAJ + 'qualty = "l"'))
    assert "job 1: unknown key 'qualty' (did you mean 'quality'?)" in text
    assert "nothing was rendered" in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('fps = "fast"', 'fps takes a number, not "fast"'),
        ('merge-bias = "yes"', 'merge-bias takes true or false, not "yes"'),
        ("epoch = 2.5", "epoch takes a whole number, not 2.5"),
        ("quality = 1", "quality takes text in quotes, not 1"),
        ('quality = "z"', "'z' is not one of 'l', 'm', 'h', 'p', 'k'"),
        ("epoch = -1", "-1 is not in the range x>=0"),
        ("preview = true", "preview: a batch opens no viewer"),
        ('output = "a.txt"', "a.txt has the suffix .txt"),
        ('scene = "wrap"', "unknown scene 'wrap'; did you mean 'warp'?"),
    ],
)
def test_wrong_values_are_refused_with_the_reason(tmp_path: Path, line: str, expected: str) -> None:
    assert expected in problem(jobs_file(tmp_path, TRAJ + line))


def test_a_missing_input_file_is_named(tmp_path: Path) -> None:
    text = problem(jobs_file(tmp_path, 'trajectory = "gone.npz"'))
    assert 'trajectory = "gone.npz": there is no such file' in text
    assert str(tmp_path / "gone.npz") in text


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = problem(jobs_file(tmp_path, TRAJ + "fps = true", 'trajectory = "gone.npz"'))
    assert "2 problems" in text
    assert "job 1: fps takes a number" in text
    assert "job 2: trajectory" in text


@pytest.mark.parametrize(("first", "second"), [("a.mp4", "a.mp4"), ("a.mp4", "a.webm")])
def test_two_jobs_may_not_write_the_same_file(tmp_path: Path, first: str, second: str) -> None:
    text = problem(jobs_file(tmp_path, TRAJ + f'output = "{first}"', TRAJ + f'output = "{second}"'))
    assert "#1 and " in text and "#2 would both write" in text


def test_paths_are_relative_to_the_jobs_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    path = jobs_file(folder, TRAJ + 'output = "a.mp4"\nmerge_bias = true', TRAJ)
    monkeypatch.chdir(tmp_path)
    first, second = load_jobs([Path("course/jobs.toml")])
    assert first.args == ("--merge-bias", "--trajectory", str(folder / "t.npz"))
    assert first.output == folder / "a.mp4"
    assert second.output == folder / "jobs-2.mp4"  # no output: named after the jobs file
    assert first.inputs == (folder / "t.npz",)
    assert first.label == "course/jobs.toml #1"
    assert path.is_file()


def test_flags_are_true_or_false(tmp_path: Path) -> None:
    path = jobs_file(
        tmp_path,
        TRAJ + "merge-bias = false",
        'dataset = "moons"\nstandardize = false\nretrain = true\nepochs = 5',
    )
    first, second = load_jobs([path])
    assert "--merge-bias" not in first.args
    assert second.args == (
        *("--dataset", "moons", "--epochs", "5", "--retrain", "--no-standardize"),
    )


def test_a_toml_file_without_jobs_is_one_story_job(tmp_path: Path) -> None:
    (tmp_path / "t.npz").write_bytes(b"a stand-in")
    story = tmp_path / "lesson.toml"
    story.write_text('scenes = ["warp"]\ntrajectory = "t.npz"\ntitle = "Why depth helps"\n')
    (job,) = load_jobs([story])
    assert job.scene == str(story)  # rendered as `nnwarp render STORY`
    assert job.output == tmp_path / "lesson.mp4"
    assert job.inputs[0] == story
    key = job.key
    story.write_text('scenes = ["warp"]\ntrajectory = "t.npz"\ntitle = "Why width helps"\n')
    assert load_jobs([story])[0].key != key


def test_a_story_s_own_output_and_files_count(tmp_path: Path) -> None:
    pytest.importorskip("scenes.story")
    (tmp_path / "t.npz").write_bytes(b"a stand-in")
    story = tmp_path / "lesson.toml"
    story.write_text('scenes = ["warp"]\ntrajectory = "t.npz"\n[render]\noutput = "a.mp4"\n')
    (job,) = load_jobs([story])
    assert job.output == tmp_path / "a.mp4"
    assert job.inputs == (story, tmp_path / "t.npz")
    key = job.key
    (tmp_path / "t.npz").write_bytes(b"retrained")
    assert load_jobs([story])[0].key != key  # a new trajectory renders the story again
    story.write_text('scenes = ["warp"]\ntrajectory = "gone.npz"\n')
    text = problem(story)
    assert f"{story}:" in text and "gone.npz" in text


def keyed(folder: Path, *lines: str) -> Job:
    return load_jobs([jobs_file(folder, "".join(f"{line}\n" for line in lines))])[0]


def test_the_key_follows_options_and_input_contents_not_their_order(tmp_path: Path) -> None:
    base = keyed(tmp_path, TRAJ, 'quality = "l"', "fps = 5")
    assert keyed(tmp_path, "fps = 5", 'quality = "l"', TRAJ).key == base.key
    assert keyed(tmp_path, TRAJ, 'quality = "l"', "fps = 6").key != base.key
    (tmp_path / "t.npz").write_bytes(b"another trajectory")
    changed = load_jobs([tmp_path / "jobs.toml"])[0]
    assert changed.key != base.key


def test_a_renamed_data_file_renders_again_a_moved_folder_does_not(tmp_path: Path) -> None:
    # the data file's name is on screen ("a.csv: 60 points"), its folder is not
    rows = "x,y,label\n" + "".join(f"{i % 7},{i % 5},{i % 2}\n" for i in range(40))
    first, second = tmp_path / "one", tmp_path / "two"
    for folder in (first, second):
        folder.mkdir()
        (folder / "a.csv").write_text(rows)
    base = keyed(first, 'dataset = "a.csv"', 'quality = "l"')
    assert keyed(second, 'dataset = "a.csv"', 'quality = "l"').key == base.key
    (first / "a.csv").rename(first / "b.csv")
    assert keyed(first, 'dataset = "b.csv"', 'quality = "l"').key != base.key


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(batch, list(args))
    return result.exit_code, result.output


def test_a_foreign_output_is_refused_before_any_work(tmp_path: Path) -> None:
    path = jobs_file(tmp_path, TRAJ + 'output = "b.mp4"', TRAJ + 'output = "mine.mp4"')
    (tmp_path / "mine.mp4").write_bytes(b"the user's own video")
    code, out = run(str(path))
    assert code == 2  # refused before any work, as --workers 0 is
    assert "mine.mp4 already exists and was not written by nnwarp" in out
    assert (tmp_path / "mine.mp4").read_bytes() == b"the user's own video"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml", "mine.mp4", "t.npz"]


def test_a_foreign_records_file_is_refused_before_any_work(tmp_path: Path) -> None:
    path = jobs_file(tmp_path, TRAJ)
    (tmp_path / RECORDS_NAME).write_text("{}")
    code, out = run(str(path))
    assert code == 2  # refused before any work, as --workers 0 is
    assert f"{RECORDS_NAME} exists and was not written by nnwarp" in out
    assert (tmp_path / RECORDS_NAME).read_text() == "{}"


def test_workers_zero_is_refused(tmp_path: Path) -> None:
    code, out = run("--workers", "0", str(jobs_file(tmp_path, TRAJ)))
    assert code == 2
    assert "'--workers': 0 is not in the range x>=1" in out


def test_workers_and_cluster_together_are_refused(tmp_path: Path) -> None:
    path = jobs_file(tmp_path, TRAJ)
    code, out = run("--workers", "2", "--cluster", "tcp://127.0.0.1:8786", str(path))
    assert code == 2
    assert "drop one of --workers, --cluster" in out


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "jobs.txt"
    other.write_text("[[job]]\n")
    code, out = run(str(other))
    assert code == 2  # refused before any work, as --workers 0 is
    assert "jobs.txt is not a .toml file" in out


def test_a_jobs_theme_is_checked_before_the_batch_trains_anything(tmp_path: Path) -> None:
    """The batch trained every job's network first; a theme whose font is not installed, or
    with fewer class colours than the data's classes, then failed the job after training.
    Now the jobs are checked as `nnwarp render` checks them before training."""
    (tmp_path / "font.json").write_text('{"font": "No Such Font 123"}')
    (tmp_path / "two.json").write_text('{"classes": ["#000000", "#FFFFFF"]}')
    train = 'scene = "warp"\ndataset = "spiral"\narms = 4\nepochs = 3\nquality = "l"\n'
    path = jobs_file(
        tmp_path,
        train + 'theme = "font.json"\noutput = "a.mp4"',
        train + 'theme = "two.json"\noutput = "b.mp4"',
        TRAJ + 'theme = "font.json"\noutput = "c.mp4"',  # a stand-in trajectory: the font
    )
    text = problem(path)
    assert text.startswith("3 problems in the jobs; nothing was rendered:")
    assert "job 1: theme " in text and "font 'No Such Font 123' is not installed" in text
    assert "job 2: theme " in text and "classes lists 2 colours but the data has 4" in text
    assert "job 3: theme " in text
    result = CliRunner().invoke(batch, [str(path), "--workers", "1"])
    assert result.exit_code == 2, result.output  # refused before any work
    assert not (tmp_path / "media").exists()  # nothing trained
