"""The parts every booking page is made of, read the way a person reads them.

A booking page has a small, regular grammar: a day picker (a month or week of day buttons), a list of
times, a form, a submit button, an answer. Each part here finds its pieces by role, accessible name,
label and visible text through :mod:`booking.browser.semantic`, waits for the state its step needs (enabled
days, a filled time list, the form's fields) and takes a platform's own hooks as a fast first try.
Platform modules configure the parts with what their platform is known to show
(research/platforms.md); none of them depends on a particular build of a page.

May import: booking.browser, booking.browser.semantic, booking.domain.slots, booking.domain.errors, booking.mail
(an e-mailed code). Not the platforms.
"""
