"""Pure numpy, no Manim: geometry of the moves, views and framing, the theme."""

__all__: list[str] = []
