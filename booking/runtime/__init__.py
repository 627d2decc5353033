"""Running processes: the composition root (wiring), the bounded job runner, the scheduler, the worker
(``workers``: booking jobs taken from the database queue, and ``python -m booking worker``), health answers, housekeeping, the doctor's checks, and how an unexpected failure is explained and kept.

May import: every room below it (workflow and lower).
"""
