"""Logging that never shows a secret: every record is scrubbed of the configured tokens."""
from __future__ import annotations

import logging
import re
from typing import Iterable

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
