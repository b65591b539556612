"""A catalogue of bad inputs: each is refused in one clear line, before any work, touching nothing.

Every case runs ``nnwarp`` as a user would type it, in a folder of its own, and asserts:
exit status 2 (click's for usage errors: refused before any work, whatever the kind of
mistake); exactly one error line, short, naming the flag, file or line at fault
and saying what to do; no traceback; no file created, changed or removed; and that no
training or rendering had started (spies on both raise if they are reached). The table
in ``README.md`` beside this file lists each case with the message it gets; regenerate it
with ``python tests/bad_inputs/test_catalogue.py`` after changing a message.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parent / "data" / "golden.npz"
README = HERE / "README.md"
MAX_MESSAGE = 330  # characters in the one error line


class WorkStarted(BaseException):
    """Raised by the spies: training or rendering began before the input was refused."""


Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One bad input: the command, the files it needs, and words its message must contain."""

    name: str
    args: list[str]
    must: list[str]
    setup: Setup | None = None
    #: Run as an unprivileged user (read-only folders mean nothing to root).
    as_user: bool = False
    what: str = field(default="")
    #: Environment variables set for the command (``NNWARP_JOBS=abc nnwarp render``).
    env: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- set-ups


def traj(d: Path) -> None:
    shutil.copyfile(GOLDEN, d / "t.npz")


def text(name: str, content: str) -> Setup:
    def make(d: Path) -> None:
        (d / name).write_text(content)

    return make


def raw(name: str, content: bytes) -> Setup:
    def make(d: Path) -> None:
        (d / name).write_bytes(content)

    return make


def folder(name: str, *files: str, mode: int | None = None) -> Setup:
    def make(d: Path) -> None:
        (d / name).mkdir(parents=True)
        for f in files:
            (d / name / f).write_text("a file of the user's own\n")
        if mode is not None:
            (d / name).chmod(mode)

    return make


def both(*setups: Setup) -> Setup:
    def make(d: Path) -> None:
        for s in setups:
            s(d)

    return make


def rows(n_bad_line: int = 7) -> str:
    lines = ["x,y,label"] + [f"{i / 10},{(i * 7) % 5 / 5},{i % 2}" for i in range(12)]
    lines[n_bad_line - 1] = "0.5,abc,1"
    return "\n".join(lines) + "\n"


def csv_points(labels: list[str]) -> str:
    return "x,y,label\n" + "".join(f"{i % 7},{i % 5},{c}\n" for i, c in enumerate(labels))


def wine_like(constant: bool = False, one_class: bool = False) -> str:
    """A CSV with its own column names (alcohol, proline, cultivar), as real data has."""
    lines = ["alcohol,ash,proline,cultivar"]
    for i in range(12):
        alcohol = "13.0" if constant else f"{11 + i * 0.3:.1f}"
        cultivar = "a" if one_class else "ab"[i % 2]
        lines.append(f"{alcohol},{2 + i % 3 * 0.1:.1f},{300 + i * 97},{cultivar}")
    return "\n".join(lines) + "\n"


def npz(name: str, **arrays: object) -> Setup:
    def make(d: Path) -> None:
        np.savez(d / name, **arrays)  # type: ignore[arg-type]

    return make


def trajectory_with(name: str, **manifest_changes: object) -> Setup:
    def make(d: Path) -> None:
        import json

        from nnmodel import trajectory

        with np.load(GOLDEN) as z:
            arrays = {k: z[k] for k in z.files}
        manifest = json.loads(arrays.pop("manifest").tobytes())
        manifest.update(manifest_changes)
        trajectory.write(d / name, manifest, arrays)

    return make


def truncated(d: Path) -> None:
    data = GOLDEN.read_bytes()
    (d / "cut.npz").write_bytes(data[: len(data) // 3])


R = ["render", "warp", "--trajectory", "t.npz", "-r", "96,54", "--fps", "2"]
T = ["train", "--samples", "40", "--epochs", "3"]

CASES: list[Case] = [
    # ------------------------------------------------------------------ choices and flags
    Case("unknown scene", ["render", "nosuchscene"], ["nosuchscene", "explainer"]),
    Case("unknown quality", ["render", "-q", "z"], ["'z'", "'l'"]),
    Case("unknown format", ["render", "--format", "avi"], ["avi", "mp4"]),
    Case("unknown dataset", ["render", "-d", "bananas"], ["bananas", "moons"]),
    Case("unknown dataset (train)", ["train", "-d", "bananas", "-o", "x.npz"], ["bananas"]),
    Case("missing data file", ["render", "-d", "missing.csv"], ["missing.csv", "does not exist"]),
    Case("data is a folder", ["render", "-d", "pts/"], ["pts", "folder", ".csv"], folder("pts")),
    Case(
        "data is a folder (train)",
        ["train", "-d", "pts/", "-o", "t.npz"],
        ["pts", "folder"],
        folder("pts"),
    ),
    Case(
        "data file unreadable",
        ["render", "-d", "p.csv", "-ql"],
        ["p.csv", "cannot read"],
        both(text("p.csv", csv_points(["a", "b"] * 4)), lambda d: (d / "p.csv").chmod(0)),
        as_user=True,
    ),
    Case("unknown activation", [*T, "--activation", "swish", "-o", "t.npz"], ["swish", "tanh"]),
    Case("hidden not numbers", [*T, "--hidden", "8,x", "-o", "t.npz"], ["--hidden", "8,8,2"]),
    Case("hidden too wide", [*T, "--hidden", "65", "-o", "t.npz"], ["--hidden", "64"]),
    Case(
        "hidden too deep", [*T, "--hidden", "2,2,2,2,2,2,2,2,2", "-o", "t.npz"], ["--hidden", "8"]
    ),
    Case("hidden 256,256", [*T, "--hidden", "256,256", "-o", "t.npz"], ["--hidden", "256"]),
    Case(
        "16 hidden layers of 256",
        ["render", "--hidden", ",".join(["256"] * 16)],
        ["--hidden", "out of range"],
    ),
    Case("hidden width zero", [*T, "--hidden", "0,2", "-o", "t.npz"], ["--hidden", "1 to 64"]),
    Case(
        "activations do not match layers",
        [*T, "--hidden", "2,2,2", "--activation", "tanh,relu", "-o", "t.npz"],
        ["2 activations", "3 hidden layers"],
    ),
    Case("learning rate zero", [*T, "--lr", "0", "-o", "t.npz"], ["--lr", "> 0"]),
    Case("learning rate inf", [*T, "--lr", "inf", "-o", "t.npz"], ["--lr", "finite", "0.03"]),
    Case("learning rate nan", [*T, "--lr", "nan", "-o", "t.npz"], ["--lr", "finite"]),
    Case("weight decay nan", [*T, "--weight-decay", "nan", "-o", "t.npz"], ["--weight-decay"]),
    Case("weight decay negative", [*T, "--weight-decay", "-1", "-o", "t.npz"], ["--weight-decay"]),
    Case("target loss nan", [*T, "--target-loss", "nan", "-o", "t.npz"], ["--target-loss"]),
    Case("target loss negative", [*T, "--target-loss", "-1", "-o", "t.npz"], ["--target-loss"]),
    Case(
        "negative seed with a CSV",
        ["train", "-d", "p.csv", "--seed", "-1", "-o", "t.npz"],
        ["--seed", "0 to"],
        text("p.csv", csv_points(["a", "b"] * 4)),
    ),
    Case("seed of 2^64", [*T, "--seed", str(2**64), "-o", "t.npz"], ["--seed", "4294967295"]),
    Case("zero epochs", [*T, "--epochs", "0", "-o", "t.npz"], ["--epochs", "1 and 100000"]),
    Case("a billion epochs", [*T, "--epochs", "1000000000", "-o", "t.npz"], ["--epochs"]),
    Case("one snapshot", [*T, "--snapshots", "1", "-o", "t.npz"], ["--snapshots", "2 and"]),
    Case("test fraction 0.95", [*T, "--test-fraction", "0.95", "-o", "t.npz"], ["--test-fraction"]),
    Case("batch size zero", [*T, "--batch-size", "0", "-o", "t.npz"], ["--batch-size"]),
    Case("3 samples", ["train", "--samples", "3", "-o", "t.npz"], ["samples", "4 and 20000"]),
    Case("30,000 samples", ["train", "--samples", "30000", "-o", "t.npz"], ["samples", "20000"]),
    Case("negative noise", ["train", "--noise", "-1", "-o", "t.npz"], ["noise", ">= 0"]),
    Case("spiral with one arm", ["train", "-d", "spiral", "--arms", "1", "-o", "t.npz"], ["arms"]),
    Case(
        "spiral with 60 arms",
        ["train", "-d", "spiral", "--arms", "60", "-o", "t.npz"],
        ["--arms 60", "8", "colour"],
    ),
    Case(
        "trajectory over the size limit",
        [
            *("train", "--samples", "20000", "--snapshots", "1000"),
            *("--hidden", "64,64,64", "-o", "t.npz"),
        ],
        ["MB", "--snapshots", "--hidden"],
    ),
    Case("resolution 16000x16000", [*R, "-r", "16000,16000"], ["16000x16000", "4096"], traj),
    Case("odd resolution, gif", [*R, "-r", "97,55", "--format", "gif"], ["-r 98,56"], traj),
    Case("resolution 8x8", [*R, "-r", "8,8"], ["8x8", "16x16"], traj),
    Case("resolution not W,H", [*R, "-r", "abc"], ["'abc'", "-r 1280,720"], traj),
    Case("zero fps", [*R, "--fps", "0"], ["fps", "1 and 240"], traj),
    Case("negative epoch", [*R, "--epoch", "-5"], ["--epoch", "x>=0"], traj),
    Case("training option with --trajectory", [*R, "--hidden", "3,3"], ["--hidden", "drop"], traj),
    Case(
        "two training options with --trajectory",
        [*R, "--seed", "1", "--lr", "0.1"],
        ["--lr", "--seed", "--trajectory"],
        traj,
    ),
    Case("-s with --format mp4", [*R, "-s", "--format", "mp4"], ["-s", "--format mp4"], traj),
    Case(
        "a section the video does not have",
        [*R, "--section", "Layer 9"],
        ["--section 'Layer 9'", "'Layer 1'", "'Separator'"],
        traj,
    ),
    # ------------------------------------------------------------------ output paths
    Case("empty -o", [*R, "-o", ""], ["-o", "file name"], traj),
    Case(
        "-o is a folder",
        [*R, "-o", "videos"],
        ["-o videos", "is a folder", "videos/lesson.mp4"],
        both(traj, folder("videos", "holiday.mp4")),
    ),
    Case(
        "-o is a folder named like a video",
        [*R, "-o", "clips.mp4"],
        ["clips.mp4", "folder"],
        both(traj, folder("clips.mp4", "a.mp4")),
    ),
    Case(
        "-o is the user's own video",
        [*R, "-o", "mine.mp4"],
        ["mine.mp4", "not written by nnwarp"],
        both(traj, raw("mine.mp4", b"\x00\x00\x00\x18ftypmp42 my own video")),
    ),
    Case("-o with an unknown suffix", [*R, "-o", "video.avi"], [".avi", "video.mp4"], traj),
    Case("-o without a suffix", [*R, "-o", "lesson"], ["lesson", "lesson.mp4"], traj),
    Case(
        "-o shots.png without -s next to a shots/ folder",
        [*R, "-o", "shots.png"],
        ["-o shots.png", "-s", "--format png"],
        both(traj, folder("shots", "photo1.jpg", "photo2.jpg")),
    ),
    Case(
        "--format png into a folder of the user's",
        [*R, "--format", "png", "-o", "photos"],
        ["photos", "did not write"],
        both(traj, folder("photos", "a.jpg")),
    ),
    Case(
        "--format png into the current folder",
        [*R, "--format", "png", "-o", "."],
        ["-o '.'", "folder name"],
        traj,
    ),
    Case(
        "--format png with a .png name",
        [*R, "--format", "png", "-o", "frames.png"],
        ["frames.png", "folder"],
        traj,
    ),
    Case("-s with a .jpg name", [*R, "-s", "-o", "frame.jpg"], ["frame.jpg", "frame.png"], traj),
    Case("-o in a missing folder", [*R, "-o", "out/x.mp4"], ["out", "mkdir -p out"], traj),
    Case(
        "-o on /proc", [*R, "-o", "/proc/x.mp4"], ["-o /proc/x.mp4", "folder /proc", "choose"], traj
    ),
    Case(
        "-o in a missing folder on /sys",
        [*R, "-o", "/sys/nnwarp-none/x.mp4"],
        ["/sys/nnwarp-none does not exist, and", "folder /sys", "choose"],
        traj,
    ),
    Case(
        "-o under a file",
        [*R, "-o", "notes.txt/x.mp4"],
        ["notes.txt", "not a folder"],
        both(traj, text("notes.txt", "my notes")),
    ),
    Case(
        "-o in a read-only folder",
        [*R, "-o", "ro/x.mp4"],
        ["ro", "read-only"],
        both(traj, folder("ro", mode=0o555)),
        as_user=True,
    ),
    Case(
        "read-only media folder (training needed)",
        ["render", "warp", "-ql", "--samples", "40", "--epochs", "3", "--media-dir", "m"],
        ["--media-dir", "read-only"],
        folder("m", mode=0o555),
        as_user=True,
    ),
    Case(
        "read-only current folder (media/ would go there)",
        ["render", "warp", "-ql", "--samples", "40", "--epochs", "3"],
        ["media", "read-only"],
        lambda d: d.chmod(0o555),
        as_user=True,
    ),
    Case(
        "--media-dir is a file",
        ["render", "warp", "-ql", "--samples", "40", "--media-dir", "m"],
        ["m", "file"],
        text("m", "not a folder"),
    ),
    Case(
        "subtitles beside -o are the user's",
        [*R, "-o", "clip.mp4"],
        ["clip.srt", "not written by nnwarp"],
        both(traj, text("clip.srt", "1\n00:00:00,000 --> 00:00:01,000\nmy own words\n")),
    ),
    Case(
        "sections folder holds the user's files",
        [*R, "--save-sections", "-o", "lesson.mp4"],
        ["lesson_sections", "did not write"],
        both(traj, folder("lesson_sections", "notes.txt")),
    ),
    Case(
        "train -o is the user's file",
        [*T, "-o", "mine.npz"],
        ["mine.npz", "not written by nnwarp"],
        npz("mine.npz", a=np.arange(3)),
    ),
    Case("train -o with a .txt name", [*T, "-o", "t.txt"], ["t.txt", "t.npz"]),
    Case("train -o is a folder", [*T, "-o", "runs"], ["runs"], folder("runs", "old.txt")),
    Case(
        "train -o in a read-only folder",
        [*T, "-o", "ro/t.npz"],
        ["ro", "read-only"],
        folder("ro", mode=0o555),
        as_user=True,
    ),
    # ------------------------------------------------------------------ data files
    Case(
        "CSV with a word for a number",
        ["train", "-d", "p.csv", "-o", "t.npz"],
        ["p.csv, line 7, column 'y'", "'abc' is not a number"],
        text("p.csv", rows(7)),
    ),
    Case(
        "CSV without a label column",
        ["train", "-d", "p.csv", "-o", "t.npz"],
        ["p.csv, line 1", "'label'"],
        text("p.csv", "x,y,class\n1,2,a\n"),
    ),
    Case(
        "CSV with one class",
        ["train", "-d", "p.csv", "-o", "t.npz"],
        ["p.csv", "at least 2 classes"],
        text("p.csv", csv_points(["a"] * 6)),
    ),
    Case(
        "CSV with 9 classes",
        ["train", "-d", "p.csv", "-o", "t.npz"],
        ["p.csv", "9 classes", "more than 8"],
        text("p.csv", csv_points([str(i % 9) for i in range(36)])),
    ),
    Case(
        "CSV with NaN",
        ["train", "-d", "p.csv", "-o", "t.npz"],
        ["p.csv, line 3", "finite"],
        text("p.csv", "x,y,label\n1,2,a\nnan,1,b\n"),
    ),
    Case(
        "empty CSV",
        ["render", "-d", "p.csv"],
        ["p.csv", "empty"],
        text("p.csv", ""),
    ),
    Case(
        "an unknown preset",
        ["render", "compare", "--preset", "sandwich", "-ql"],
        ["'sandwich'", "sandwich-grid", "spiral-depth"],
    ),
    Case(
        "a sweep of one run",
        ["render", "compare", "--vary", "lr=0.1", "-ql"],
        ["1", "render warp"],
    ),
    Case(
        "an option given and varied",
        ["render", "compare", "--vary", "lr=0.1,0.01", "--lr", "0.5", "-ql"],
        ["--lr and --vary lr=", "give its values to --vary only"],
    ),
    Case(
        "--columns naming a column that does not exist",
        ["train", "-d", "w.csv", "--columns", "alcohol,prolin,cultivar", "-o", "t.npz"],
        ["w.csv", "'prolin'", "'proline'", "alcohol, ash, proline, cultivar"],
        text("w.csv", wine_like()),
    ),
    Case(
        "--columns position past the last column",
        ["train", "-d", "w.csv", "--columns", "0,9,3", "-o", "t.npz"],
        ["w.csv", "position 9", "0 to 3", "alcohol, ash, proline, cultivar"],
        text("w.csv", wine_like()),
    ),
    Case(
        "--columns naming one column twice",
        ["train", "-d", "w.csv", "--columns", "alcohol,0,cultivar", "-o", "t.npz"],
        ["w.csv", "'alcohol' twice", "two different"],
        text("w.csv", wine_like()),
    ),
    Case(
        "--columns with two names",
        ["train", "-d", "w.csv", "--columns", "alcohol,proline", "-o", "t.npz"],
        ["--columns", "three columns", "alcohol,proline,cultivar"],
        text("w.csv", wine_like()),
    ),
    Case(
        "--columns with a built-in dataset",
        ["train", "-d", "moons", "--columns", "a,b,c", "-o", "t.npz"],
        ["--columns", "built-in", "drop --columns"],
    ),
    Case(
        "--columns with an NPZ",
        ["train", "-d", "p.npz", "--columns", "a,b,c", "-o", "t.npz"],
        ["p.npz", "--columns", "array X"],
        npz("p.npz", X=np.arange(16.0).reshape(8, 2), y=np.arange(8) % 2),
    ),
    Case(
        "a label column with one value",
        ["train", "-d", "w.csv", "--columns", "alcohol,proline,cultivar", "-o", "t.npz"],
        ["w.csv", "only the class 'a'", "column 'cultivar'", "at least 2 classes"],
        text("w.csv", wine_like(one_class=True)),
    ),
    Case(
        "a constant feature column",
        ["train", "-d", "w.csv", "--columns", "alcohol,proline,cultivar", "-o", "t.npz"],
        ["w.csv", "column 'alcohol'", "same value (13)", "--columns"],
        text("w.csv", wine_like(constant=True)),
    ),
    Case(
        "a constant feature column (render)",
        ["render", "-d", "w.csv", "--columns", "alcohol,proline,cultivar", "-ql"],
        ["w.csv", "column 'alcohol'", "same value"],
        text("w.csv", wine_like(constant=True)),
    ),
    Case(
        "NPZ without y",
        ["train", "-d", "p.npz", "-o", "t.npz"],
        ["p.npz", "'y'", "np.savez"],
        npz("p.npz", X=np.zeros((4, 2))),
    ),
    Case(
        "NPZ with X of the wrong shape",
        ["train", "-d", "p.npz", "-o", "t.npz"],
        ["p.npz", "'X'", "(N, 2)"],
        npz("p.npz", X=np.zeros((4, 3)), y=np.arange(4) % 2),
    ),
    Case(
        "NPZ with pickled objects",
        ["train", "-d", "p.npz", "-o", "t.npz"],
        ["p.npz", "Python objects"],
        npz("p.npz", X=np.zeros((4, 2)), y=np.array([0, 1, "a", None], dtype=object)),
    ),
    # ------------------------------------------------------------------ story and sweep files
    Case(
        "a story's format other than MP4",
        ["render", "s.toml"],
        ["s.toml:3", "[render] format", "a story renders an MP4", "remove format"],
        text("s.toml", 'scenes = ["warp"]\n[render]\nformat = "webm"\n'),
    ),
    Case(
        "a story's beat naming a layer its network lacks",
        ["render", "s.toml"],
        ["s.toml:4", "'layer-3.linear'", "2 hidden layers", "[train] hidden = [3, 2]"],
        text(
            "s.toml",
            'scenes = ["warp"]\n[train]\nhidden = [3, 2]\n[[beat]]\nid = "layer-3.linear"\n'
            'caption = "The third layer"\n',
        ),
    ),
    Case(
        "a story asking for one video per section",
        ["render", "s.toml"],
        ["s.toml:3", "[render] save_sections", "chapters", "--save-sections"],
        text("s.toml", 'scenes = ["warp"]\n[render]\nsave_sections = true\n'),
    ),
    Case(
        "a story's anatomy sample past its data",
        ["render", "s.toml"],
        ["s.toml:5", "[anatomy] sample", "100000", "40 points"],
        text("s.toml", 'scenes = ["anatomy"]\n[train]\nsamples = 40\n[anatomy]\nsample = 100000\n'),
    ),
    Case(
        "--format for a story",
        ["render", "s.toml", "--format", "webm"],
        ["--format webm", "a story renders an MP4", "[render] format"],
        text("s.toml", 'scenes = ["warp"]\n'),
    ),
    Case(
        "--section for a story",
        ["render", "s.toml", "--section", "Layer 1"],
        ["--section does not apply to a story", "skip = true", "by name"],
        text("s.toml", 'scenes = ["warp"]\n'),
    ),
    Case(
        "-s for a story",
        ["render", "s.toml", "-s", "-o", "s.png"],
        ["-s/--save-last-frame does not apply to a story", "by name with -s"],
        text("s.toml", 'scenes = ["warp"]\n'),
    ),
    Case(
        "-o of another format for a story",
        ["render", "s.toml", "-o", "s.webm"],
        ["-o s.webm", "a story renders an MP4", "s.mp4"],
        text("s.toml", 'scenes = ["warp"]\n'),
    ),
    Case(
        "a sweep's data file missing",
        ["render", "compare", "--sweep", "sw/e.toml", "-ql"],
        ["e.toml:2", "key 'base.dataset'", "data file ../data/names.csv does not exist", "sw/"],
        both(
            folder("sw"),
            text(
                "sw/e.toml",
                '[base]\ndataset = "../data/names.csv"\n[grid]\nrows = { lr = [0.1, 0.01] }\n',
            ),
        ),
    ),
    # ------------------------------------------------------------------ trajectory files
    Case("inspect a missing file", ["inspect", "nope.npz"], ["nope.npz", "nnwarp train -o"]),
    Case(
        "inspect a broken zip",
        ["inspect", "t.npz"],
        ["t.npz", "nnwarp train -o"],
        raw("t.npz", b"PK\x03\x04garbage"),
    ),
    Case(
        "a CSV given as a trajectory",
        ["inspect", "p.csv"],
        ["p.csv", "not an nnwarp trajectory"],
        text("p.csv", csv_points(["a", "b"] * 3)),
    ),
    Case(
        "a random file given as a trajectory",
        ["render", "--trajectory", "r.bin"],
        ["r.bin", "not an nnwarp trajectory"],
        raw("r.bin", bytes(range(256)) * 4),
    ),
    Case(
        "a folder given as a trajectory",
        ["inspect", "runs"],
        ["runs", "directory", ".npz"],
        folder("runs", "a.npz"),
    ),
    Case(
        "schema_version as a string",
        ["inspect", "s.npz"],
        ["s.npz", "schema_version"],
        trajectory_with("s.npz", schema_version="1"),
    ),
    Case(
        "a newer schema",
        ["inspect", "s.npz"],
        ["s.npz", "schema 99", "upgrade nnwarp"],
        trajectory_with("s.npz", schema_version=99),
    ),
    Case(
        "a truncated trajectory",
        ["render", "--trajectory", "cut.npz", "-r", "96,54"],
        ["cut.npz", "nnwarp train -o"],
        truncated,
    ),
    Case("a zero-byte trajectory", ["inspect", "z.npz"], ["z.npz"], raw("z.npz", b"")),
    Case("list with an extra word", ["list", "everything"], ["everything"]),
    # ------------------------------------------------------------------ the environment
    Case(
        "NNWARP_JOBS not a number",
        ["render", "warp", "-ql", "--samples", "40", "--epochs", "3"],
        ["environment variable NNWARP_JOBS is 'abc'", "-j/--jobs", "whole number"],
        env={"NNWARP_JOBS": "abc"},
    ),
    Case(
        "NNWARP_CACHE not yes or no",
        ["render", "warp", "-ql", "--samples", "40", "--epochs", "3"],
        ["environment variable NNWARP_CACHE is 'maybe'", "--cache", "takes 1"],
        env={"NNWARP_CACHE": "maybe"},
    ),
    Case(
        "NNWARP_VOICE an unknown engine",
        ["render", "warp", "-ql", "--samples", "40", "--epochs", "3"],
        ["environment variable NNWARP_VOICE is 'robot'", "--voice", "takes a voice engine"],
        env={"NNWARP_VOICE": "robot"},
    ),
    # ------------------------------------------------------------------ themes
    Case(
        "a theme's font that is not installed",
        ["render", "warp", "-ql", "--samples", "40", "--epochs", "3", "--theme", "t.json"],
        ["t.json", "font 'Comic Sans MS' is not installed", "DejaVu Sans"],
        text("t.json", '{"font": "Comic Sans MS"}'),
    ),
    Case(
        "a theme's mono font misspelt",
        [*R, "--theme", "t.json"],
        ["t.json", "mono_font", "did you mean 'DejaVu Sans Mono'?"],
        both(traj, text("t.json", '{"mono_font": "DejaVu Sans Mon"}')),
    ),
]


# --------------------------------------------------------------------------- running


def snapshot(root: Path) -> dict[str, tuple[str, str]]:
    """Every path under ``root`` with its kind and content hash (files) or mode (folders)."""
    out: dict[str, tuple[str, str]] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_symlink():
            out[rel] = ("link", os.readlink(p))
        elif p.is_dir():
            out[rel] = ("dir", oct(p.stat().st_mode))
        else:
            try:
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
            except PermissionError:
                digest = "unreadable"
            out[rel] = ("file", f"{digest} {oct(p.stat().st_mode)} {p.stat().st_mtime_ns}")
    return out


@dataclass
class Outcome:
    exit_code: int
    output: str
    seconds: float
    reached_work: bool


def run_in_process(case: Case, where: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    from nnmodel import pipeline
    from scenes.cli import main
    from scenes.render import pipeline as r

    def spy(*args: object, **kwargs: object) -> None:
        raise WorkStarted

    monkeypatch.setattr(pipeline, "train", spy)
    monkeypatch.setattr(r, "work_dir", spy)
    monkeypatch.chdir(where)
    start = time.perf_counter()
    result = CliRunner().invoke(main, case.args, env=case.env or None)
    seconds = time.perf_counter() - start
    reached = isinstance(result.exception, WorkStarted)
    return Outcome(result.exit_code, result.output, seconds, reached)


def run_as_user(case: Case, where: Path, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """In a forked child that drops to the unprivileged user ``nobody`` when run as root
    (read-only and unreadable files mean nothing to root), then runs as in-process."""
    import json

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.close(read_fd)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            outcome = run_in_process(case, where, monkeypatch)
            with os.fdopen(write_fd, "w") as fh:
                json.dump(outcome.__dict__, fh)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and data, "the unprivileged run failed"
    return Outcome(**json.loads(data))


Snapshot = dict[str, tuple[str, str]]


def run_case(case: Case, monkeypatch: pytest.MonkeyPatch) -> tuple[Outcome, Snapshot, Snapshot]:
    base = Path(tempfile.mkdtemp(prefix="nnwarp-bad-"))
    try:
        base.chmod(0o755)
        where = base / "case"
        where.mkdir()
        where.chmod(0o777)
        if case.setup is not None:
            case.setup(where)
        before = snapshot(base)
        if case.as_user:
            outcome = run_as_user(case, where, monkeypatch)
        else:
            outcome = run_in_process(case, where, monkeypatch)
        after = snapshot(base)
        return outcome, before, after
    finally:
        for p in [base, *base.rglob("*")]:
            if p.is_dir() and not p.is_symlink():
                p.chmod(0o755)
            elif p.is_file():
                p.chmod(0o644)
        shutil.rmtree(base, ignore_errors=True)


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error:")]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_cleanly(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    outcome, before, after = run_case(case, monkeypatch)
    assert not outcome.reached_work, f"work started before refusing: {outcome.output}"
    assert outcome.exit_code == 2, outcome.output  # refused before any work: a usage error
    assert "Traceback" not in outcome.output and "unexpected error" not in outcome.output
    errors = error_lines(outcome.output)
    assert len(errors) == 1, outcome.output
    assert len(errors[0]) <= MAX_MESSAGE, errors[0]
    for word in case.must:
        assert word in errors[0], f"{word!r} not in {errors[0]!r}"
    assert len(outcome.output.strip().splitlines()) <= 4, outcome.output  # + click's usage lines
    assert after == before, "files were created, changed or removed"


def test_the_catalogue_is_big_and_documented() -> None:
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    table = README.read_text()
    for case in CASES:
        assert f"| {case.name} |" in table, f"README.md lacks the case {case.name!r}"


def _markdown_table() -> str:
    """Run every case and write README.md's table of case -> command -> message."""

    class _Patch:
        def __init__(self) -> None:
            self.undo: list[tuple[object, str, object]] = []

        def setattr(self, obj: object, name: str, value: object) -> None:
            self.undo.append((obj, name, getattr(obj, name)))
            setattr(obj, name, value)

        def chdir(self, path: Path) -> None:
            cwd = os.getcwd()
            self.undo.append((os, "_cwd", cwd))
            os.chdir(path)

        def close(self) -> None:
            for obj, name, value in reversed(self.undo):
                if name == "_cwd":
                    os.chdir(str(value))
                else:
                    setattr(obj, name, value)

    lines = [
        "# Bad inputs and what nnwarp says",
        "",
        "Generated by `python tests/bad_inputs/test_catalogue.py` from the cases in",
        "`test_catalogue.py`; `make test` runs every case (one line, exit 2, no traceback,",
        "no file touched, refused before training or rendering starts). Cases marked *as user*",
        "run as an unprivileged user (read-only folders mean nothing to root). Times are one",
        "run on the development machine, for orientation only.",
        "",
        "| case | command | message | time |",
        "|---|---|---|---|",
    ]
    for case in CASES:
        patch = _Patch()
        try:
            outcome, _, _ = run_case(case, patch)  # type: ignore[arg-type]
        finally:
            patch.close()
        message = " ".join(error_lines(outcome.output)) or outcome.output.strip()
        message = message.removeprefix("Error: ").replace("|", "\\|")
        env = [f"{k}={v}" for k, v in case.env.items()]
        command = shlex.join([*env, "nnwarp", *case.args]).replace("|", "\\|")
        who = " *(as user)*" if case.as_user else ""
        lines.append(f"| {case.name} | `{command}`{who} | {message} | {outcome.seconds:.2f} s |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    README.write_text(_markdown_table())
    print(f"wrote {README}")
