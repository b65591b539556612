"""Fast drawing for Manim: point and line mobjects, the compositor, camera, video writer."""
