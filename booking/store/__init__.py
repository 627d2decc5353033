"""Storage: SQLAlchemy models and the database (migrations/ holds Alembic's revisions), the booking
rows (``bookings``: audit trail, status transitions, claims, held slots), the startup directory and
its imports, slot holds, leases, job claims and their liveness, the job queue (``queue``) and the colleague
lock (``startup_locks``) that hold across processes, screenshot retention.

May import: booking.domain, booking.config, booking.recipes.
"""
