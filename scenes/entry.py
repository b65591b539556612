"""The ``nnwarp`` command's entry point: Ctrl-C while the command line loads ends quietly."""

from __future__ import annotations

import importlib
import sys

__all__ = ["main"]


def main() -> None:
    """Load the command line (click, nnwarp's commands: about 0.3 s) and run it.

    Ctrl-C during the load printed a ``KeyboardInterrupt`` traceback from deep inside an
    import; it now stops as Ctrl-C does once a command runs (exit 130, one line).
    """
    try:
        cli = importlib.import_module("scenes.cli").main
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted: no output was written or changed\n")
        raise SystemExit(130) from None
    cli()
