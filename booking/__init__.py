"""Booker's core: books meetings on startups' booking pages, front-end agnostic.

Rooms, lowest first (each may import only the rooms listed in its own docstring):
domain → config → recipes, mail, browser, notify → store → platforms → confirmations → workflow →
runtime → cli. The Slack front-end (``bot/``) sits on top; nothing here imports it.
"""
