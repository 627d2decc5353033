"""What Booker does with a booking, from ``/book`` to the calendar event.

``service.BookingService`` is the thin facade the front-ends call; it hands each concern only what it
needs: ``requests`` (who asks for what, validation, the new row), ``views`` (a row as the front-ends
see it), ``jobs`` (a browser job's inputs and its configured platform), ``job_run`` and
``step_reporter`` (one browser job from claim to outcome), ``holding`` (slot holds), ``outcomes``
(submitted, confirmed, declined, failed or retried), ``review`` (the pause before submit),
``questions`` (the form's questions, pure) and ``asking`` (the pause on them), ``reschedule``,
``calendar_followup``; then ``controls`` (the buttons, refusing strangers with ``access.NotAllowed``),
``coordination``, ``batches``, ``monitor`` (the confirmation monitor), ``admin`` (the directory),
``overview``, ``preferences``, ``trying`` (``try`` for recipes), ``contexts``. ``ports`` holds what the
runtime hands in: the runner and job-queue Protocols and the clock; ``queueing`` the two job queues
(this process's runner, or the database for any worker).

May import: every room below it: domain, config, recipes, mail, browser, notify, store, platforms, confirmations.
"""
