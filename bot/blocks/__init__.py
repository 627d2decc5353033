"""Block Kit for Booker: pure functions from core views (booking.notify.notifier's BookingView,
BatchView) to a message's ``(text, blocks)`` or a view's payload; nothing here calls Slack.

kit (Slack's limits and the primitives), booking (one booking's message and card), lists (a batch, the
colleague warning, ``/book list``), questions (the form's questions in a thread), home (the Home tab),
modals (the booking, edit and answer forms), hours (the working-hours form), help (usage texts).
Every message carries a plain-text ``text`` fallback (notifications, screen readers).

May import: bot.ids and booking's views (booking.notify, booking.domain, booking.workflow.preferences);
never bot.listeners, the desk or the notifier (they import these).
"""
