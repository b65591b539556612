"""``run_batch`` from a script: without ``if __name__ == "__main__":`` it is refused at once.

The local pool's worker processes come from a fresh server (``forkserver``), and each
imports the script that started the batch again. Unguarded, the script started the batch
again in every worker: two 40-line ``RuntimeError`` tracebacks from multiprocessing, then
the job failed as "the process rendering it died (killed, or out of memory?)".
"""

from __future__ import annotations

import ast
import multiprocessing
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scenes.batch.runner import BatchOptions, _is_main_guard, run_batch
from scenes.errors import RenderError

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
JOB = (
    '[[job]]\nscene = "warp"\ntrajectory = "t.npz"\nresolution = "64,36"\nfps = 2\n'
    'voice = "none"\noutput = "a.mp4"\n'
)
HEAD = (
    "from pathlib import Path\n"
    "from scenes.batch.runner import BatchOptions, run_batch\n"
    'print("the script runs", flush=True)\n'
)
CALL = 'run_batch([Path("jobs.toml")], BatchOptions(workers=1, quiet=True))'


def run_script(folder: Path, body: str) -> subprocess.CompletedProcess[str]:
    shutil.copyfile(GOLDEN, folder / "t.npz")
    (folder / "jobs.toml").write_text(JOB)
    (folder / "batch_script.py").write_text(HEAD + body)
    return subprocess.run(
        [sys.executable, "batch_script.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (f"report = {CALL}\nprint(report.summary())\n", 4),
        (f"def main():\n    return {CALL}\n\n\nmain()\n", 8),  # the call that reaches it
        (f"if True:\n    {CALL}\n", 5),
    ],
)
def test_an_unguarded_script_is_refused_in_one_line_before_anything_starts(
    tmp_path: Path, body: str, line: int
) -> None:
    done = run_script(tmp_path, body)
    assert done.returncode == 1
    assert done.stdout == "the script runs\n"  # once: no worker imported it again
    assert done.stderr.strip().splitlines()[-1] == (
        f"scenes.errors.RenderError: run_batch is called at the top level of batch_script.py, "
        f'line {line}, outside `if __name__ == "__main__":`; each of its worker processes '
        "imports the script again and would start the batch again: put the call under "
        '`if __name__ == "__main__":`'
    )
    assert "An attempt has been made to start a new process" not in done.stderr
    assert not (tmp_path / "a.mp4").exists()


def test_a_guarded_script_renders(tmp_path: Path) -> None:
    body = f'def main():\n    print({CALL}.summary())\n\n\nif "__main__" == __name__:\n    main()\n'
    done = run_script(tmp_path, body)
    assert done.returncode == 0, done.stderr
    assert "batch: 1 rendered of 1 job" in done.stdout
    assert (tmp_path / "a.mp4").is_file()


def test_a_call_made_while_a_worker_imports_the_script_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Should the call not be found in the script (it is made by code the script runs in
    some other way), the worker importing the script refuses it, before it starts anything
    (multiprocessing sets ``_inheriting`` while a worker imports the main module)."""
    monkeypatch.setattr(multiprocessing.current_process(), "_inheriting", True, raising=False)
    with pytest.raises(RenderError, match="while a worker process imported the script"):
        run_batch([tmp_path / "jobs.toml"], BatchOptions(workers=1))


@pytest.mark.parametrize(
    ("source", "guard"),
    [
        ('if __name__ == "__main__":\n    pass\n', True),
        ("if '__main__' == __name__:\n    pass\n", True),
        ('if __name__ != "__main__":\n    pass\n', False),
        ('if __name__ == "__main__" and True:\n    pass\n', False),
        ('if name == "__main__":\n    pass\n', False),
        ("run()\n", False),
    ],
)
def test_the_guard_is_recognised_either_way_round(source: str, guard: bool) -> None:
    (statement,) = ast.parse(source).body
    assert _is_main_guard(statement) is guard
