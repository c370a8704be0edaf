"""Inputs: the scenario schema and file, department and area data, synthetic worlds, reference data.

Nothing here knows the law or the model; it reads, checks and describes data.
"""
