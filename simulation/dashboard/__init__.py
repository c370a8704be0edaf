"""The what-if dashboard: levers, a background engine of paired replications, views and the page.

``levers``, ``engine`` and ``views`` need no web framework (tested without a browser); ``app`` is
the Solara page and ``server`` starts it (``blandetby dashboard``).
"""
