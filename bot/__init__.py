"""The Slack front-end (slack-bolt). Imports point one way: app → listeners → desk → notifier → blocks → ids.

- ``__main__``  ``python -m bot``: settings, the service, the scheduler, then serve.
- ``app``       ``build_app(settings, service)``, ``register_listeners`` and serving (Socket Mode or HTTP).
- ``listeners/``  Bolt listeners by surface (commands, admin, actions, views, events) and their helpers.
- ``desk``      asking for bookings from Slack (clash checks, batches), shared by the listeners;
  ``users`` reads the teammate from Slack's profile for it.
- ``notifier``  the core's Notifier in Slack (threads, DMs, batch summaries); its path
  "bot.notifier:notifiers_from_settings" is public. ``outbox`` delivers its posts off the browser job.
- ``blocks/``   Block Kit, pure functions from core views (no Slack calls); ``ids`` every action/callback id.
- ``client``    the Web API client (base URL, retries), for the app and the notifier alike.
- ``gallery``   ``python -m bot.gallery``: the main messages as Block Kit Builder files (docs/blocks).

May import: booking (the core), never the reverse; blocks never import listeners (tests/guards/test_bot_layout.py).
"""
