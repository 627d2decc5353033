"""Mailboxes and what mails say: the mailbox protocol recipes read e-mailed codes from, the reading of
confirmation, decline and new-time mails, and per-platform mail signals.

May import: booking.domain, booking.config.
"""
