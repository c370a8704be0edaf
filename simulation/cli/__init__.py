"""The command line, ``blandetby``.

The entry point is :mod:`simulation.cli.main`; there is one module per subcommand, each with ``NAME``, ``HELP``, ``add_arguments`` and ``run``.
"""
