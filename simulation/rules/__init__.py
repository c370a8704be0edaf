"""The law as modelled.

The legal lists (§ 61 a/b), their criteria, the 1 December pipeline, the agreement's tiers, letting precedence (§§ 51 b, 51 c, 59, 60) and the referral queue.

Pure functions and small classes over the people's columns: importing a rules module never imports
mesa, matplotlib, the runner or the report (a contract in ``pyproject.toml`` holds this).
"""
