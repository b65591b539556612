"""``python -m scenes.cli``: the ``nnwarp`` command."""

from __future__ import annotations

from scenes.cli import main

if __name__ == "__main__":
    main()
