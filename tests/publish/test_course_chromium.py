"""The course page in a real browser: headless Chromium plays the video from a local web
server, the duration is the MP4's, the subtitles are showing with the package's cues, the
chapters track holds the sections, and a chapter link seeks the video.

Chromium is driven through its DevTools protocol over ``--remote-debugging-pipe`` (JSON
messages ended by a NUL byte on file descriptors 3 and 4), with the standard library only.
The page is served over HTTP because browsers load no ``<track>`` from ``file://``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import select
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from scenes.core.timeline import Beat
from scenes.narration.text import Line
from scenes.publish.course import CoursePackage, write_course
from scenes.publish.sections import timeline_document
from scenes.publish.subtitles import Cue

CHROMIUM = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install chromium); "
    "the course page is tested in a real browser",
)

#: How long the browser may take for any one step (seconds); a timeout fails the test.
STEP_TIMEOUT = 60.0
#: The browser's duration and the MP4's may differ by this much (seconds).
DURATION_SLACK = 0.05
FPS, SECONDS = 10, 4.0
BEATS = [
    ("title", "Introduction", 0.0, 1.5, "Two moons & one question: is x < 1 enough?"),
    ("layer-1", "Layer 1", 1.5, 3.0, "Layer 1 turns the plane and bends the grid."),
    ("end", "The end", 3.0, 4.0, "Each layer bends the space a little."),
]
CUES = [Cue(start, end, words) for _, _, start, end, words in BEATS]


# ----------------------------------------------------------------------------- the package


def _video(path: Path) -> Path:
    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        y, x = np.mgrid[0:180, 0:320]
        for i in range(round(SECONDS * FPS)):
            pixels = np.zeros((180, 320, 3), np.uint8)
            pixels[..., 0] = (x + 8 * i) % 256
            pixels[..., 2] = y
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def _voice(path: Path, seconds: float, rate: int = 22_050) -> Path:
    t = np.arange(round(seconds * rate)) / rate
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((0.3 * 32767 * np.sin(2 * math.pi * 330 * t)).astype("<i2").tobytes())
    return path


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> CoursePackage:
    work = tmp_path_factory.mktemp("browser")
    beats = [Beat(b, s, Line(w), e - st) for b, s, st, e, w in BEATS]
    doc = timeline_document(beats, [(b, st, e) for b, _, st, e, _ in BEATS])
    return write_course(
        _video(work / "explainer.mp4"),
        doc,
        CUES,
        work / "course",
        title="Moons, untangled",
        audio=_voice(work / "voice.wav", 3.2),
    )


# ----------------------------------------------------------------------------- web server


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(package: CoursePackage) -> Iterator[str]:
    """The package's folder on http://127.0.0.1:PORT/ (a free port)."""
    handler = functools.partial(_QuietHandler, directory=str(package.folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# ----------------------------------------------------------------------------- the browser


class Browser:
    """Headless Chromium and one page, driven over the DevTools pipe."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_browser = os.pipe()
        from_browser = os.pipe()
        # Chromium reads the protocol on fd 3 and writes on fd 4: the shell moves the pipes
        # there from its stdin and stdout before it becomes Chromium.
        self.proc = subprocess.Popen(
            [
                "/bin/sh",
                "-c",
                'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null',
                executable,
                "--headless",
                "--no-sandbox",  # containers and CI run as root
                "--disable-gpu",
                "--no-first-run",
                "--autoplay-policy=no-user-gesture-required",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=to_browser[0],
            stdout=from_browser[1],
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser[0])
        os.close(from_browser[1])
        self._send, self._recv = to_browser[1], from_browser[0]
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._recv], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._recv, 1 << 16)
            if not chunk:
                raise RuntimeError(f"Chromium exited (code {self.proc.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            request["sessionId"] = session
        os.write(self._send, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            message = self._message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message["result"]
                return result
            self.events.append(message)

    def open(self, url: str) -> None:
        """Load ``url`` in the page and wait for its load event."""
        self.call("Page.enable", self.session)
        self.call("Page.navigate", self.session, url=url)
        deadline = time.monotonic() + STEP_TIMEOUT
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._message(deadline))

    def evaluate(self, script: str) -> Any:
        """The value of the JavaScript expression ``script`` (promises are awaited)."""
        answer = self.call(
            "Runtime.evaluate",
            self.session,
            expression=script,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            raise AssertionError(details.get("exception", {}).get("description", details))
        return answer["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._send)
        os.close(self._recv)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    assert CHROMIUM is not None
    chromium = Browser(CHROMIUM, tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chromium
    finally:
        chromium.close()


#: Waits (polling, bounded by STEP_TIMEOUT) for what the tests check, then reports it.
PLAY = """
(async () => {
  const limit = %(limit)d;
  const until = (ok, what) => new Promise((resolve, reject) => {
    const t0 = performance.now();
    (function poll() {
      if (ok()) resolve();
      else if (performance.now() - t0 > limit) reject(new Error("timed out: " + what));
      else setTimeout(poll, 25);
    })();
  });
  const video = document.getElementById("course-video");
  await until(() => video.readyState >= 1 || video.error, "video metadata");
  if (video.error) throw new Error("video error " + video.error.code + " " + video.error.message);
  const track = (kind) => Array.from(video.textTracks).find((t) => t.kind === kind);
  const element = (kind) => video.querySelector("track[kind=" + kind + "]");
  track("chapters").mode = "hidden";  // chapters load only when not disabled
  await until(() => element("subtitles").readyState === 2 && element("chapters").readyState === 2,
              "tracks loaded");
  const cues = (kind) => Array.from(track(kind).cues).map((c) => ({
    start: c.startTime, end: c.endTime, text: c.text, shown: c.getCueAsHTML().textContent}));
  await video.play();
  const started = video.currentTime;
  await until(() => video.currentTime > started + 0.3, "playback");
  const played = video.currentTime - started;
  const link = document.querySelectorAll(".chapters a[data-start]")[1];
  link.click();
  await until(() => !video.seeking && Math.abs(video.currentTime - %(second)f) < 0.5, "seek");
  await until(() => link.getAttribute("aria-current") === "true", "chapter marked current");
  return {
    duration: video.duration, played: played, paused: video.paused,
    mode: track("subtitles").mode, subtitles: cues("subtitles"), chapters: cues("chapters"),
    current: link.getAttribute("aria-current"), after_seek: video.currentTime,
  };
})()
"""


def test_page_plays_in_chromium_with_subtitles_and_chapters(
    browser: Browser, served: str, package: CoursePackage
) -> None:
    browser.open(served + "index.html")
    second = BEATS[1][2]
    report = browser.evaluate(PLAY % {"limit": STEP_TIMEOUT * 1000, "second": second})

    assert report["played"] > 0.3 and not report["paused"]
    with av.open(str(package.video)) as mp4:
        length = float(mp4.duration or 0) / 1_000_000
    assert report["duration"] == pytest.approx(length, abs=DURATION_SLACK)
    assert report["duration"] == pytest.approx(SECONDS, abs=DURATION_SLACK)

    assert report["mode"] == "showing"
    shown = [(c["start"], c["end"], c["shown"]) for c in report["subtitles"]]
    assert shown == [(c.start, c.end, c.text) for c in CUES]  # "&" and "<" read back as text

    sections = [(st, e, s) for _, s, st, e, _ in BEATS]
    assert [(c["start"], c["end"], c["text"]) for c in report["chapters"]] == sections

    assert report["after_seek"] == pytest.approx(second, abs=0.5)
    assert report["current"] == "true"
