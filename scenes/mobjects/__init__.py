"""On-screen furniture built from Manim mobjects: captions, diagram, formulas, legend."""
