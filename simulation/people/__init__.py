"""People: households as numpy columns (one slot per dwelling), newcomers, per-department state, capacity.

The population the rules act on; no Mesa, no law.
"""
