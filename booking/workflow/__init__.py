"""What Booker does with a booking, from ``/book`` to the calendar event: the ``BookingService`` facade,
the browser job, outcomes and retries, review before submit, questions the form asks, team
coordination, batches, the confirmation monitor, reschedules, the calendar follow-up, directory admin,
the team overview, ``try`` for recipes.

May import: every room below it: domain, config, recipes, mail, browser, notify, store, platforms, confirmations.
"""
