"""The course page ``index.html``: the video with its subtitle and chapter tracks, chapter
links, the transcript and downloads, from the template ``assets/course/index.html``.

The page loads nothing from elsewhere (its style and its few lines of script are inline), so
it works copied into Moodle, Canvas or any web server. Every text is HTML-escaped and every
file name URL-quoted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from scenes.core.theme import asset
from scenes.publish.mp4 import MP4Chapter
from scenes.publish.transcript import BeatText, clock

__all__ = ["PAGE_TEMPLATE", "PageFiles", "course_page", "template"]

#: The template, inside the package ``scenes.assets`` (the repository's ``assets/``).
PAGE_TEMPLATE = ("course", "index.html")
_SLOT = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class PageFiles:
    """Names of the package's files, as the page links them (relative to the page)."""

    video: str
    subtitles: str
    subtitles_srt: str
    chapters: str
    poster: str
    transcript: str


def template() -> str:
    """The text of the page template."""
    return asset("/".join(PAGE_TEMPLATE)).read_text(encoding="utf-8")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _url(name: str) -> str:
    return _e(quote(name))


def _seconds(t: float) -> str:
    return f"{t:.3f}".rstrip("0").rstrip(".") or "0"


def _seek_link(video: str, start: float, end: float, inner: str, label: str = "") -> str:
    aria = f' aria-label="{_e(label)}"' if label else ""
    return (
        f'<a href="{_url(video)}#t={_seconds(start)}" data-start="{_seconds(start)}" '
        f'data-end="{_seconds(end)}"{aria}>{inner}</a>'
    )


def _chapter_items(video: str, chapters: Sequence[MP4Chapter]) -> str:
    items = []
    for c in chapters:
        inner = f'<span class="time">{clock(c.start)}</span><span>{_e(c.title)}</span>'
        items.append(f"      <li>{_seek_link(video, c.start, c.end, inner)}</li>")
    return "\n".join(items)


def _transcript_items(video: str, chapters: Sequence[MP4Chapter], beats: Sequence[BeatText]) -> str:
    parts = []
    for c in chapters:
        parts.append(f"  <h3>{_e(c.title)}</h3>")
        for b in beats:
            if b.section == c.title and c.start - 1e-6 <= b.start < c.end - 1e-6 and b.text:
                stamp = clock(b.start)
                link = _seek_link(video, b.start, b.end, stamp, f"Play from {stamp}")
                parts.append(f"  <p>{link}{_e(b.text)}</p>")
    return "\n".join(parts)


def _downloads(names: PageFiles) -> str:
    rows = [
        (names.video, "Video (MP4)"),
        (names.subtitles, "Subtitles (WebVTT)"),
        (names.subtitles_srt, "Subtitles (SRT)"),
        (names.transcript, "Transcript (Markdown)"),
    ]
    return "\n".join(
        f'    <li><a href="{_url(n)}" download>{_e(label)}</a></li>' for n, label in rows
    )


def course_page(
    *,
    title: str,
    names: PageFiles,
    chapters: Sequence[MP4Chapter],
    beats: Sequence[BeatText],
    width: int,
    height: int,
    generator: str,
    lang: str = "en",
) -> str:
    """The HTML of ``index.html``.

    >>> names = PageFiles("a b.mp4", "a b.vtt", "a b.srt", "chapters.vtt", "poster.jpg", "t.md")
    >>> page = course_page(title="<Moons> & more", names=names, beats=[],
    ...     chapters=[MP4Chapter("Intro", 0, 2)], width=16, height=9, generator="nnwarp")
    >>> "<h1>&lt;Moons&gt; &amp; more</h1>" in page, 'src="a%20b.mp4"' in page
    (True, True)
    """
    values = {
        "lang": _e(lang),
        "title": _e(" ".join(title.split())),
        "generator": _e(generator),
        "video": _url(names.video),
        "poster": _url(names.poster),
        "subtitles": _url(names.subtitles),
        "subtitles_label": _e({"en": "English"}.get(lang, lang)),
        "chapters": _url(names.chapters),
        "width": str(int(width)),
        "height": str(int(height)),
        "chapter_items": _chapter_items(names.video, chapters),
        "transcript_items": _transcript_items(names.video, chapters, beats),
        "downloads": _downloads(names),
    }

    def fill(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return _SLOT.sub(fill, template())
