"""One headless Chromium per job: the page wrapper and its explicit waits, the driver factory and its
lock-down, leftover processes and temp folders, and the semantic layer that finds what a person sees
(role, accessible name, label, text) through Testing Library inside the page.

May import: booking.domain, booking.config.
"""
