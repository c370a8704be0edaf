"""The law as data: the legal lists of § 61 a and § 61 b, their regimes, criteria and thresholds.

The statute's vocabulary and numbers live here once; every other wing reads them from here. Nothing
here depends on the scenario, the population or the model.
"""
