"""One module per booking site on a shared base (:mod:`booking.platforms.base`), listed in
:mod:`booking.platforms.registry`; the agent that drives a platform through its steps, the page parts
every site is made of (``parts/``), widgets embedded in startups' own pages, time zones, and the
recipe-driven ``custom`` platform.

Platforms never read or write the database: what they need comes in through ``PlatformContext``.

May import: booking.domain, booking.config, booking.recipes, booking.mail, booking.browser.
"""
