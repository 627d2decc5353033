"""Logging that never shows a secret: every record is scrubbed of the configured tokens."""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import Iterable, Iterator

# Token shapes worth hiding even when we were not told about them: Slack tokens, Google access and
# refresh tokens, and a PEM private key (a service-account key file's contents).
_TOKEN_SHAPES = re.compile(
    r"\b(xox[abposr]-[A-Za-z0-9-]{6,}|xapp-[A-Za-z0-9-]{6,}|ya29\.[A-Za-z0-9._-]{10,}|1//[A-Za-z0-9_-]{20,})"
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
    re.DOTALL,
)


class RedactSecrets(logging.Filter):
    """Replaces secrets in a record's message (and args) with «redacted»."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "«redacted»")
        return _TOKEN_SHAPES.sub("«redacted»", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self.scrub(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install_redaction(secrets: Iterable[str | None]) -> RedactSecrets:
    """Attach the filter to every handler of the root logger (and future ones via the root)."""
    redactor = RedactSecrets(secrets)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(redactor)
    root.addFilter(redactor)
    return redactor


# Libraries that talk at INFO about their own housekeeping: Alembic's nine lines at every start,
# APScheduler's two lines every minute. Their warnings still show.
CHATTY_LOGGERS = ("alembic", "apscheduler", "urllib3", "selenium", "googleapiclient")


def quiet_third_party_loggers(level: int = logging.WARNING) -> None:
    """Raise chatty libraries' loggers to ``level`` so an INFO log is Booker's own story."""
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(level)


def configure_logging(level: int, *, with_time: bool = True) -> None:
    """The root handler every front-end uses, with the chatty libraries quietened."""
    fmt = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=level, format=f"%(asctime)s {fmt}" if with_time else fmt)
    if level > logging.DEBUG:  # a DEBUG run is for seeing everything, the libraries included
        quiet_third_party_loggers()


@contextmanager
def quieted(*names: str) -> Iterator[None]:
    """Silence libraries that log what we are about to translate (a start-up's refused token
    or unreachable server becomes our one line, not their ERROR lines as well)."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
