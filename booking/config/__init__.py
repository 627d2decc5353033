"""Settings (every ``BOOKER_*`` variable, its default, meaning and range), logging set-up, sign-in
credentials for pages that need the teammate's own account.

May import: booking.domain.
"""
