"""A bot process that books one meeting and gets killed by the test (run with -m)."""
import sys

from booking.service import BookingRequestInput, Teammate
from booking.settings import Settings
from booking.wiring import build_service


def main() -> None:
    url = sys.argv[1]
    service = build_service(Settings.from_env())
    teammate = Teammate(name="Crash Test", email="crash@axa.example", timezone="Europe/Helsinki")
    view = service.request_booking(BookingRequestInput(teammate=teammate, url=url, platform="calendly"))
    print(view.id, flush=True)
    service.run_booking(view.id)


main()
