"""Our own bounded executor for browser jobs (not Bolt's shared listener pool).

Its size is the number of browsers we can afford at once (``BOOKER_MAX_BROWSERS``); extra jobs
wait in its queue. A job's exception is logged, never lost silently.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

log = logging.getLogger(__name__)
_running = threading.local()  # set while this thread runs a job: front-ends must not make it wait


def in_job() -> bool:
    """Whether the caller is a job of a :class:`JobRunner` (a browser job): it must never wait on a
    front-end's delivery (Slack's rate limits), or a browser slot would sit idle."""
    return bool(getattr(_running, "job", False))


class JobRunner:
    def __init__(self, max_workers: int, name: str = "booker-job") -> None:
        self.max_workers = max_workers
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=name)
        self._pending: set[Future[Any]] = set()
        self._delayed = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
        future = self._executor.submit(self._guarded, fn, *args, **kwargs)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)
        return future

    def submit_after(self, delay: float, fn: Callable[..., Any], *args: Any) -> None:
        """Queue ``fn`` once ``delay`` seconds have passed (retry backoff) without holding a worker."""
        if delay <= 0:
            self.submit(fn, *args)
            return
        with self._lock:
            self._delayed += 1
        timer = threading.Timer(delay, self._release_delayed, args=(fn, args))
        timer.daemon = True
        timer.start()

    def _release_delayed(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            self.submit(fn, *args)
        except RuntimeError:
            log.warning("runner stopped before a delayed job could run; it resumes at the next start")
        finally:
            with self._lock:
                self._delayed -= 1
                if not self._pending and not self._delayed:
                    self._idle.notify_all()

    @staticmethod
    def _guarded(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        _running.job = True
        try:
            return fn(*args, **kwargs)
        except Exception:
            log.exception("background job %s failed", getattr(fn, "__name__", fn))
            raise
        finally:
            _running.job = False

    def _done(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.discard(future)
            if not self._pending and not self._delayed:
                self._idle.notify_all()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending) + self._delayed

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until every submitted job finished; False on timeout."""
        with self._lock:
            return self._idle.wait_for(lambda: not self._pending and not self._delayed, timeout)

    def shutdown(self, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
