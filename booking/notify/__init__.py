"""How the core reaches a person without knowing Slack: the notifier protocol and the booking view it
receives, the console notifier, and the plugin loader that names a front-end's notifier by path.

May import: booking.domain, booking.config.
"""
