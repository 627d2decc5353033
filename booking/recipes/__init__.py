"""Startup recipes: the YAML steps that book a page no platform module knows (schema, loading, legacy
shapes). Reading a recipe never touches a browser: the steps run in :mod:`booking.platforms.custom`.

May import: booking.domain.
"""
