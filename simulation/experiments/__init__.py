"""Experiments: replications on local processes or Dask, run folders, comparisons, sweeps and frontiers.

Numbers and files only; figures live in :mod:`simulation.report`.
"""
