"""nnwarp as users get it: the built wheel ships what the code reads, and renders.

The wheel is built from a copy of the working tree (a build in place writes ``build/`` into
the repository, and stale files there can leak into later wheels), without build isolation
when this environment has the build backend. It is then installed into a throwaway
virtualenv whose only extra is a path to this environment's site-packages (for manim, numpy,
PyAV...: a path line in a ``.pth`` is not itself scanned for ``.pth`` files, so the editable
install's finder of the repository stays off), and renders a short video in an empty folder
outside the repository.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.resources import files
from pathlib import Path

import av
import pytest
from packaging.requirements import Requirement

from scenes.core.theme import ASSETS_PACKAGE, RUNTIME_ASSETS, asset

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
GOLDEN = ROOT / "tests" / "data" / "golden.npz"
NOT_COPIED = shutil.ignore_patterns(
    *(".git", ".venv", ".*_cache", ".hypothesis", "media", "build", "dist", "*.egg-info"),
    *("__pycache__", "*.pyc"),
)


def _ignore(folder: str, names: list[str]) -> set[str]:
    """What the copy of the tree leaves out: caches, outputs and any virtualenv."""
    venvs = {n for n in names if (Path(folder, n) / "pyvenv.cfg").is_file()}
    return set(NOT_COPIED(folder, names)) | venvs


def _clean_env() -> dict[str, str]:
    """This process's environment without anything that would put the repository in reach."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
    }
    env.update(PYTHONNOUSERSITE="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    return env


def _run(args: list[str | Path], cwd: Path, timeout: float = 600) -> str:
    """Run a command; on failure, the assertion shows its output."""
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _isolation_flags() -> list[str]:
    """``--no-build-isolation`` when [build-system] requires is met here (no download)."""
    for req in map(Requirement, PYPROJECT["build-system"]["requires"]):
        try:
            version = importlib.metadata.version(req.name)
        except importlib.metadata.PackageNotFoundError:
            return []
        if not req.specifier.contains(version, prereleases=True):
            return []
    return ["--no-build-isolation"]


def _source_modules() -> set[str]:
    """Every module of the source tree, as its path in a wheel (``scenes/core/theme.py``)."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    mapped = setuptools.get("package-dir", {})
    tops = {p.split(".")[0] for p in setuptools["packages"] if p not in mapped}
    found = {
        path.relative_to(ROOT).as_posix()
        for top in tops
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    for package, folder in mapped.items():
        prefix = package.replace(".", "/")
        found |= {f"{prefix}/{p.name}" for p in (ROOT / folder).glob("*.py")}
    return found


def _readme_pictures() -> set[str]:
    """Names of the images README.md shows: documentation, not run-time data."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return {Path(m).name for m in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", readme)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the working tree, built from a copy of it."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=_ignore, symlinks=True)
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", *_isolation_flags(), "-q"]
    _run([*pip, "-w", work / "dist", src], cwd=work)
    (built,) = (work / "dist").glob("nnwarp-*.whl")
    return built


def test_runtime_assets_are_package_resources() -> None:
    """Each file the code reads is found through importlib.resources, nothing else is."""
    for name in RUNTIME_ASSETS:
        assert files(ASSETS_PACKAGE).joinpath(name).is_file(), name
        assert asset(name).read_bytes()
    for picture in _readme_pictures():
        with pytest.raises(ValueError, match="not a run-time asset"):
            asset(picture)


def test_wheel_ships_the_code_and_its_assets_only(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert zf.testzip() is None

    missing = _source_modules() - names
    assert not missing, f"modules missing from the wheel (pyproject.toml packages?): {missing}"

    prefix = ASSETS_PACKAGE.replace(".", "/") + "/"
    shipped = {n.removeprefix(prefix) for n in names if n.startswith(prefix)}
    assert shipped == {"__init__.py", *RUNTIME_ASSETS}, "assets must be exactly RUNTIME_ASSETS"

    pictures = _readme_pictures()
    assert "readme_frame.png" in pictures  # the check below is not vacuous
    assert not {n for n in names if Path(n).name in pictures}
    assert not {n for n in names if n.startswith(("tests/", "bench/", "assets/", "media/"))}
    assert not {n for n in names if re.search(r"(^|/)(test_[^/]*|conftest)\.py$", n)}

    tops = {n.split("/")[0] for n in names}
    expected = {p.split(".")[0] for p in PYPROJECT["tool"]["setuptools"]["packages"]}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert len(dist_info) == 1
    assert tops - dist_info == expected


def _site_packages(python: Path | str, cwd: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(_run([python, "-c", code], cwd=cwd).strip())


def test_installed_wheel_renders_in_an_empty_folder(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    # Install before adding the dependencies' path, so pip does not see the editable nnwarp.
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q"]
    _run([*pip, "--no-index", wheel], cwd=tmp_path)
    site = _site_packages(python, tmp_path)
    ours = {Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}
    (site / "_nnwarp_test_deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))

    empty = tmp_path / "empty"
    empty.mkdir()
    assert not empty.resolve().is_relative_to(ROOT)

    # `import scenes` resolves to the installed wheel, with no editable finder active.
    where = "import json, sys, nnmodel, scenes, scenes.assets, scenes.core.theme as t; " + (
        "print(json.dumps({'files': [m.__file__ for m in (nnmodel, scenes, scenes.assets)],"
        " 'theme': str(t.asset(t.THEME_FILE)), 'finders': [repr(f) for f in sys.meta_path]}))"
    )
    found = json.loads(_run([python, "-c", where], cwd=empty))
    for path in [*found["files"], found["theme"]]:
        assert Path(path).resolve().is_relative_to(site.resolve()), path
    assert not [f for f in found["finders"] if "editable" in f.lower()], found["finders"]
    assert list(empty.iterdir()) == []

    shutil.copyfile(GOLDEN, empty / "traj.npz")
    nnwarp = venv / "bin" / "nnwarp"
    args = ["render", "warp", "--trajectory", "traj.npz", "-r", "128,72", "--fps", "2"]
    _run([nnwarp, "--debug", *args, "-o", "out.mp4"], cwd=empty)

    # The video, its subtitles and its section times; no media/ folder, no cache, nothing else.
    made = sorted(p.name for p in empty.iterdir())
    assert made == ["out.mp4", "out.sections.json", "out.srt", "out.vtt", "traj.npz"], made
    assert all((empty / name).is_file() for name in made), made
    with av.open(str(empty / "out.mp4")) as container:
        frames = [(f.width, f.height) for f in container.decode(video=0)]
    assert len(frames) >= 2
    assert set(frames) == {(128, 72)}
