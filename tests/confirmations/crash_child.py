"""A bot process that books one meeting and gets killed by the test (run with -m).

``python -m tests.confirmations.crash_child <booking URL | startup name> [teammate e-mail] [phone]``: a URL is
booked as a Calendly page; a name is looked up in the directory the test seeded. ``BOOKER_TEST_NOW``
(ISO) stops the child's clock at the test's "now", which the replicas share.
"""
import os
import sys
from datetime import datetime

from booking.config.settings import Settings
from booking.runtime.wiring import build_service
from booking.workflow.requests import BookingRequestInput, Teammate


def main() -> None:
    target = sys.argv[1]
    email = sys.argv[2] if len(sys.argv) > 2 else "crash@axa.example"
    phone = sys.argv[3] if len(sys.argv) > 3 else None
    now = os.environ.get("BOOKER_TEST_NOW")
    frozen = datetime.fromisoformat(now) if now else None
    service = build_service(Settings.from_env(), **({"clock": lambda: frozen} if frozen else {}))
    teammate = Teammate(name="Eduardo Paz" if len(sys.argv) > 2 else "Crash Test", email=email,
                        timezone="Europe/Helsinki", phone=phone)
    if "://" in target:
        request = BookingRequestInput(teammate=teammate, url=target, platform="calendly")
    else:
        request = BookingRequestInput(teammate=teammate, startup=target)
    view = service.request_booking(request)
    print(view.id, flush=True)
    service.run_booking(view.id)


main()
