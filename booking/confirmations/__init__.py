"""Ways of noticing that a startup answered: the check protocol and verdicts, the platform-API check,
the Gmail check, and the teammate's Google Calendar (free/busy and the event made on confirmation).
The monitor that runs them every minute is :mod:`booking.workflow.monitor`.

May import: booking.domain, booking.config, booking.mail, booking.browser, booking.notify, booking.store, booking.platforms.
"""
