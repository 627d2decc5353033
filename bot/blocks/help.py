"""What ``/book help`` and ``/book-admin`` (with no verb it knows) answer."""
from __future__ import annotations

USAGE = (
    "Usage: `/book <startup>` books a meeting with that startup, e.g. `/book Acme`.\n"
    "• `/book` alone opens a form: pick the startup, the person, preferred times, your message, review.\n"
    "• `/book Acme, Beta, Gamma` books several at once: one thread each and a summary.\n"
    "• `/book https://calendly.com/acme/intro` books a page that isn't in the directory.\n"
    "• `/book list` your bookings · `/book status <id>` one booking · `/book cancel <id>` cancel one.\n"
    "Cancelling a booking that was already sent marks it cancelled in Booker (and removes the calendar event); "
    "the booking on the startup's page stays until you cancel it with the link in its e-mail.\n"
    "If a colleague already has that startup, Booker asks before booking it again."
)

ADMIN_USAGE = (
    "Usage (Booker admins):\n"
    "• `/book-admin add <startup name> <booking url> [platform]` adds or updates a startup.\n"
    "• `/book-admin people <startup>: Alice Smith (CEO) <alice@acme.example>, Bob Jones` sets who to ask for, in order.\n"
    "• `/book-admin test <startup>` fills its form as you with screenshots in a thread, and sends nothing.\n"
    "A whole shortlist: `python -m booking startups import shortlist.csv` (or .yaml)."
)


