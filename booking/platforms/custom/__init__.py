"""The recipe-driven platform: pages no platform module knows, booked by following a startup's recipe
(:mod:`booking.recipes`). ``platform`` is the :class:`~booking.platforms.custom.platform.CustomRecipe`
the registry lists (the agent's phases), ``steps`` runs the recipe's steps one by one, ``locating``
resolves their semantic names (role + accessible name, a field's label, a frame's title), ``calendar``
reads and picks days and times (``pinned``: with auto's readers, for a recipe ``auto`` saved),
``reading`` renders fill values and reads options and slot times without a browser, ``scripts`` is
the JavaScript run in the page.

May import: booking.domain, booking.config, booking.recipes, booking.mail, booking.browser, and the
rest of booking.platforms (the base).
"""
