"""Pure facts of the domain: booking statuses and transitions, slots and times, the intro message,
errors that say whose fault they are, booking-URL checks.

No I/O, no database, no browser.

May import: nothing else of Booker's.
"""
