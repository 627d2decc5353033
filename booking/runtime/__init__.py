"""Running processes: the composition root (wiring), the bounded job runner, the scheduler, health
answers, housekeeping, the doctor's checks, and how an unexpected failure is explained and kept.

May import: every room below it (workflow and lower).
"""
