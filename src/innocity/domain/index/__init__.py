"""The composite-index engine (NumPy only): framework tree, data steps, weighting, aggregation, alternative
scorings (TOPSIS, grey relational analysis, obstacle degree), Monte Carlo uncertainty and Sobol sensitivity.

    framework.py    Node, Framework (validated tree compiled to arrays; ``subset`` prunes it)
    coverage.py     which indicators and units are covered well enough to be used
    steps.py        denominate, impute, treat (via treat.py), normalise, rank
    weighting.py    entropy, CRITIC, CV, PCA, AHP, combined
    aggregation.py  weighted power means up the tree, batched over weight sets
    mcda.py         TOPSIS, grey relational analysis, obstacle degree
    model.py        Dataset, CompositeIndex (estimator: fit / regen / results)
    uncertainty.py  Monte Carlo rank intervals, batched by discrete choice
    sobol.py        Saltelli design, first-order and total Sobol indices
    spec.py         framework documents (parsed YAML) → FrameworkSpec, with validation
"""

from .framework import Framework, Node
from .model import CompositeIndex, Dataset, Step

__all__ = ["CompositeIndex", "Dataset", "Framework", "Node", "Step"]
