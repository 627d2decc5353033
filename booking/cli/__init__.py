"""The ``python -m booking`` front-end: the parser, the subcommands, what they print. ``demo`` is the only
product code that imports the replicas, inside its function, so nothing else ever loads them.

May import: every room below it (runtime and lower).
"""
