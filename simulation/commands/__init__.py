"""Subcommands of ``blandetby``; each module has ``NAME``, ``HELP``, ``add_arguments`` and ``run``."""
