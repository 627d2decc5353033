"""What a running process says about itself: the ``/healthz`` answer and the start-up health line.

An operator (or a load balancer) needs one cheap question with a yes/no: can this process reach its
database, and is its confirmation monitor running? No secrets, no per-booking data.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Iterable, Protocol

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from booking.store.db import Database


class Running(Protocol):
    """What the health report reads of a scheduler (APScheduler's ``running``)."""

    @property
    def running(self) -> bool: ...


def database_ok(db: Database) -> bool:
    """One round trip; False (never an exception) when the database can't answer."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


def health_report(db: Database, scheduler: Running | None) -> dict[str, Any]:
    """``{"ok", "database", "scheduler"}``; ok needs the database, and the scheduler when it is ours."""
    database = "ok" if database_ok(db) else "unreachable"
    if scheduler is None:
        monitor = "off"
    else:
        monitor = "running" if scheduler.running else "stopped"
    return {"ok": database == "ok" and monitor != "stopped", "database": database, "scheduler": monitor}


def jobs_report(queued: dict[str, int] | None, running: dict[str, int], at_once: int,
                kinds: Iterable[str]) -> dict[str, Any]:
    """A worker's ``jobs``: totals and, per job kind, how many wait and how many this process runs.

    Why per kind: a queue of status checks or reschedule answers is as real as one of bookings (the bot
    queues every browser job); counting only bookings hid them. ``queued`` is the whole database's queue
    (every worker's), None when the database can't answer; ``running`` is this process's.
    """
    names = list(dict.fromkeys([*kinds, *running, *(queued or {})]))
    by_kind = {name: {"queued": None if queued is None else queued.get(name, 0), "running": running.get(name, 0)}
               for name in names}
    return {"running": sum(running.values()), "at_once": at_once,
            "queued": None if queued is None else sum(queued.values()), "by_kind": by_kind}


HEALTH_PATH = "/healthz"


def serve_health(host: str, port: int, report: Callable[[], dict[str, Any]]) -> ThreadingHTTPServer:
    """``GET /healthz`` for a process that serves nothing else (a worker): 200 when ``report()["ok"]``, else
    503, with the report as JSON; answered from a daemon thread until ``shutdown()``."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.path.split("?", 1)[0] != HEALTH_PATH:
                self.send_error(404)
                return
            body = report()
            data = json.dumps(body).encode()
            self.send_response(200 if body.get("ok") else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # a load balancer's probes aren't news
            return

    server = ThreadingHTTPServer((host, port), Health)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="booker-health", daemon=True).start()
    return server
