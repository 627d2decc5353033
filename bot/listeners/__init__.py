"""Bolt listeners by Slack surface, each thin: ack, validate, hand off (to the desk or the core's controls).

commands (``/book``), admin (``/book-admin``), actions (buttons), views (modals: opening, in-form
updates, submissions), events (``app_home_opened`` and publishing the Home tab); and what they share:
forms (reading a submitted form), replies (private answers), slack_text (command text as Slack escapes it).

May import: bot.blocks, bot.ids, bot.desk, bot.notifier (for its DM fallback) and the core (booking.workflow,
booking.domain, booking.notify); never bot.app. Within: commands and actions → views → events → forms.
"""
