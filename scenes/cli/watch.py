"""``--watch``: render again whenever a file the video is made from changes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from nnmodel.errors import NnwarpError

__all__ = ["stamps", "watch"]

Stamp = tuple[int, int] | None


def stamps(files: Iterable[Path]) -> dict[Path, Stamp]:
    """Each file's modification time and size (None while it is missing: an editor that
    saves by replacing the file removes it for an instant)."""
    out: dict[Path, Stamp] = {}
    for path in files:
        try:
            st = path.stat()
        except OSError:
            out[path] = None
        else:
            out[path] = (st.st_mtime_ns, st.st_size)
    return out


def watch(
    files: Callable[[], list[Path]],
    run: Callable[[], None],
    *,
    poll: float = 0.05,
    settle: float = 0.1,
    rounds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Run ``run``, then again each time one of ``files()`` changes, until Ctrl-C (or
    ``rounds`` runs). A failed run prints its one-line error and the watch goes on: fix the
    file, save, and it renders again. Returns how many runs there were.

    ``files`` is asked again after each run (a story may name another data file now).
    A change is acted on once the files have stayed as they are for ``settle`` seconds,
    so an editor's save in several writes starts one render, not several.
    """
    runs = 0
    try:
        while rounds is None or runs < rounds:
            watched = files()
            seen = stamps(watched)
            try:
                run()
            except click.ClickException as exc:
                click.echo(f"Error: {exc.format_message()}", err=True)
            except NnwarpError as exc:  # a story's mistake, raised before click sees it
                click.echo(f"Error: {exc}", err=True)
            runs += 1
            if rounds is not None and runs >= rounds:
                break
            names = ", ".join(p.name for p in watched)
            click.echo(f"watching {names} (Ctrl-C stops)", err=True)
            while True:
                sleep(poll)
                now = stamps(watched)
                if now != seen:
                    sleep(settle)
                    if stamps(watched) == now:
                        click.echo("changed: rendering again", err=True)
                        break
    except KeyboardInterrupt:
        click.echo("stopped watching", err=True)
    return runs
