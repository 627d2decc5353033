"""``python -m calendar_sync check`` is one-shot: when Google is busy it says to run it again (exit 3),
not "will try again later" as the long-running bot does."""
from __future__ import annotations

import io

from calendar_sync.__main__ import main
from tests.google.conftest import TEAMMATE_EMAIL


def test_a_busy_google_says_run_the_check_again(google, key_file, capsys):
    google.fail("calendar.freebusy.query", status=429, retry_after=3600)  # beyond the retry budget: no waiting
    code = main(["check", TEAMMATE_EMAIL, "--credentials", str(key_file),
                 "--calendar-api-url", google.calendar_endpoint], out=io.StringIO())
    err = capsys.readouterr().err
    assert code == 3 and err.count("\n") == 1
    assert "will try again later" not in err and err.rstrip().endswith("; run the check again in a minute")
