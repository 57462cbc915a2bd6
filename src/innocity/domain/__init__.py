"""Plain dataclasses and pure computations: plan, target, observation, progress, index.

Imports the standard library and numpy only.
"""
