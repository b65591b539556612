"""examples/notebook.ipynb runs from a clean kernel and shows its videos inline (nbclient)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import av
import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"
#: The notebook's frame size and rate (its QUICK settings).
SIZE, FPS = (320, 180), 6
PROBE = "import sys\nprint(sys.prefix)"
CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
#: Reports, into the page, what the browser made of the notebook's <video> and its track.
REPORT = """<pre id="report">none</pre><script>
const v = document.querySelector("video");
function report() {
  const t = v.textTracks[0];
  document.getElementById("report").textContent = JSON.stringify({
    ready: v.readyState, duration: v.duration, size: [v.videoWidth, v.videoHeight],
    error: v.error && v.error.code, mode: t && t.mode, cues: t && t.cues && t.cues.length});
}
v.addEventListener("loadedmetadata", () => setTimeout(report, 500));
v.addEventListener("error", report);
</script>"""


class Tags(HTMLParser):
    """Every start tag of a page with its attributes, in order."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def first(self, tag: str) -> dict[str, str | None]:
        found = [attrs for name, attrs in self.tags if name == tag]
        assert found, f"no <{tag}> in the output"
        return found[0]


def _data(url: str, mime: str) -> bytes:
    head, _, payload = url.partition(",")
    assert head == f"data:{mime};base64", head
    return base64.b64decode(payload)


def _html(cell: Any) -> str:
    pages = [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]
    assert len(pages) == 1, f"cell {cell.id} shows {len(pages)} HTML outputs"
    return str(pages[0])


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """The notebook, executed in a fresh kernel in an empty folder, with a probe cell added."""
    folder = tmp_path_factory.mktemp("notebook")
    shutil.copy(NOTEBOOK, folder / NOTEBOOK.name)
    nb = nbformat.read(folder / NOTEBOOK.name, as_version=4)  # type: ignore[no-untyped-call]
    probe = nbformat.v4.new_code_cell(PROBE, id="probe")  # type: ignore[no-untyped-call]
    nb.cells.append(probe)
    with pytest.MonkeyPatch.context() as mp:  # the kernel inherits this environment
        mp.setenv("NNWARP_VOICE", "none")
        mp.setenv("NNWARP_JOBS", "1")
        mp.setenv("IPYTHONDIR", str(folder / ".ipython"))  # no profile or history of ours
        mp.setenv("JUPYTER_RUNTIME_DIR", str(folder / ".runtime"))
        client = NotebookClient(
            nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(folder)}}
        )
        try:
            client.execute()
        except CellExecutionError as exc:
            pytest.fail(f"a cell of {NOTEBOOK.name} failed:\n{exc}")
    return nb, folder


def test_the_notebook_is_saved_clean() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_the_kernel_is_this_environment_and_every_cell_ran(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o["output_type"] == "error"]
    # no progress bars or warnings: a teacher's notebook shows the videos and nothing else
    assert not [o["text"] for c in code for o in c.outputs if o.get("name") == "stderr"]
    probe = next(c for c in code if c.id == "probe")
    assert probe.outputs[0]["text"].strip() == sys.prefix


def test_the_explainer_plays_inline_with_its_subtitles(executed: tuple[Any, Path]) -> None:
    nb, folder = executed
    cell = next(c for c in nb.cells if c.id == "explainer")
    page = Tags(_html(cell))
    assert "controls" in page.first("video")
    source = page.first("source")
    src = str(source["src"])
    if src.startswith("data:"):
        mp4 = folder / "inline.mp4"
        mp4.write_bytes(_data(src, "video/mp4"))
    else:  # linked: a path relative to the notebook's folder
        mp4 = folder / src
        assert mp4.is_file()
    assert source["type"] == "video/mp4"
    (timeline,) = folder.glob("media/videos/*/180p6/Explainer.sections.json")
    doc = json.loads(timeline.read_text())
    assert [s["name"] for s in doc["sections"]][:2] == ["Introduction", "Layer 1"]
    with av.open(str(mp4)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        assert (stream.width, stream.height) == SIZE
        assert container.duration is not None
        assert abs(container.duration / 1e6 - doc["duration"]) <= 1 / FPS
    assert abs(frames - doc["duration"] * FPS) <= 1
    track = page.first("track")
    assert track["kind"] == "subtitles" and "default" in track
    vtt = _data(str(track["src"]), "text/vtt;charset=utf-8").decode("utf-8")
    assert vtt.startswith("WEBVTT") and "-->" in vtt
    assert vtt == timeline.with_name("Explainer.vtt").read_text(encoding="utf-8")


def test_the_anatomy_and_the_story_play_inline(executed: tuple[Any, Path]) -> None:
    nb, folder = executed
    for cell_id in ("anatomy", "story"):
        cell = next(c for c in nb.cells if c.id == cell_id)
        page = Tags(_html(cell))
        assert str(page.first("source")["src"]).startswith("data:video/mp4;base64,")
        assert page.first("track")["kind"] == "subtitles"
    (story,) = folder.glob("media/stories/story-*.mp4")
    (caption,) = [
        b["caption"]
        for b in json.loads(story.with_suffix(".sections.json").read_text())["beats"]
        if b["id"] == "data"
    ]
    assert caption == "Two moons, two classes"  # the story's own words


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_a_browser_plays_the_inline_explainer_with_its_subtitles_showing(
    executed: tuple[Any, Path],
) -> None:
    nb, folder = executed
    cell = next(c for c in nb.cells if c.id == "explainer")
    page = folder / "explainer.html"
    page.write_text(f"<!doctype html><html><body>{_html(cell)}{REPORT}</body></html>", "utf-8")
    assert CHROMIUM is not None
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000"]
        + ["--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    report = json.loads(dom.split('<pre id="report">')[1].split("</pre>")[0])
    (timeline,) = folder.glob("media/videos/*/180p6/Explainer.sections.json")
    vtt = timeline.with_name("Explainer.vtt").read_text(encoding="utf-8")
    assert report["error"] is None and report["ready"] >= 1
    assert abs(report["duration"] - json.loads(timeline.read_text())["duration"]) <= 0.05
    assert report["size"] == list(SIZE)
    assert report["mode"] == "showing" and report["cues"] == vtt.count("-->")
