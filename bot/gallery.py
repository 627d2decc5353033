"""Write Booker's main messages and views as Block Kit JSON: ``python -m bot.gallery [docs/blocks]``.

Each file opens in Block Kit Builder (https://app.slack.com/block-kit-builder: paste it, or use
:func:`builder_url`). They are rendered by the same functions the bot uses, from sample bookings,
and a test checks the committed files are current and within Slack's limits.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from booking.config.settings import DEFAULT_MESSAGE_TEMPLATE
from booking.domain.states import BookingStatus
from booking.notify.notifier import BatchView, BookingView
from bot.blocks.booking import booking_message
from bot.blocks.home import home_view
from bot.blocks.lists import anyway_value, batch_summary, colleague_warning
from bot.blocks.modals import book_modal, edit_modal, question_modal
from bot.blocks.questions import question_message

S = BookingStatus
DOCS = Path(__file__).resolve().parent.parent / "docs" / "blocks"
SLOT_1 = datetime(2026, 12, 2, 7, 0, tzinfo=timezone.utc)
SLOT_2 = datetime(2026, 12, 2, 7, 30, tzinfo=timezone.utc)
LINK = "https://axa-innovation.slack.com/archives/C0SLUSH/p1764576000000100"


def sample(status: BookingStatus, **changes: Any) -> BookingView:
    base: dict[str, Any] = dict(
        id=12, status=status.value, startup_name="Acme Robotics", platform="calendly", platform_label="Calendly",
        booking_url="https://calendly.com/acme-robotics", user_id="U0EDUARDO", user_name="Eduardo Paz",
        user_email="eduardo.paz@axa-innovation.example", user_timezone="Europe/Helsinki",
        thread_ref={"channel": "C0SLUSH", "ts": "1764576000.000100", "link": LINK},
    )
    if status not in (S.PENDING, S.BOOKING_IN_PROGRESS):
        base.update(person_name="Alice Smith", proposed_slots=(SLOT_1, SLOT_2), slot_duration_minutes=30)
    base.update(changes)
    return BookingView(**base)


def message(text_and_blocks: tuple[str, list[dict[str, Any]]]) -> dict[str, Any]:
    text, blocks = text_and_blocks
    return {"text": text, "blocks": blocks}


def render_all() -> dict[str, dict[str, Any]]:
    """File name → payload, in the order the README shows them."""
    review = sample(S.AWAITING_REVIEW, id=16, startup_name="Epsilon AI",
                    review_expires_at=SLOT_1 - timedelta(hours=22, minutes=30))
    pending = sample(S.PENDING_CONFIRMATION, confirmation_check_count=3,
                     last_confirmation_check=SLOT_1 - timedelta(hours=20))
    booked = sample(S.ADDED_TO_CALENDAR, confirmed_slot=SLOT_1, calendar_event_id="booker0c12")
    failed = sample(S.FAILED, person_name=None, proposed_slots=(),
                    error_message="No common free time with Acme Robotics before Tue 15 Dec (tried Alice Smith, "
                                  "Bob Jones); widen your hours or pick a slot yourself")
    colleague = sample(S.CONFIRMED, id=9, user_id="U0MARIA", user_name="Maria Lopez", confirmed_slot=SLOT_2,
                       thread_ref={"link": LINK.replace("0100", "0042")})
    batch = BatchView(
        id=3, user_id="U0EDUARDO", request_text="Acme, Beta, Gamma, Zeta",
        items=(booked, sample(S.BOOKING_IN_PROGRESS, id=13, startup_name="Beta Health"),
               sample(S.PENDING_CONFIRMATION, id=14, startup_name="Gamma Energy", person_name="Gina Green")),
        skipped=({"name": "Zeta", "reason": "I don't know a startup called 'Zeta'. Did you mean: Beta Health?"},),
    )
    asking = sample(S.AWAITING_REVIEW, id=17, startup_name="Zeta Labs", person_name=None, proposed_slots=(),
                    review_expires_at=SLOT_1 - timedelta(hours=22, minutes=30), startup_id="zeta-labs",
                    questions=({"label": "What is this meeting about?", "kind": "text", "choices": []},
                               {"label": "Which stage is your company in?", "kind": "choice",
                                "choices": ["Seed", "Series A", "Series B+"]}))
    return {
        "01_booking_in_progress.json": message(booking_message(sample(S.BOOKING_IN_PROGRESS))),
        "02_awaiting_review.json": message(booking_message(review)),
        "03_pending_confirmation.json": message(booking_message(pending)),
        "04_booked.json": message(booking_message(booked)),
        "05_failed.json": message(booking_message(failed)),
        "06_batch_summary.json": message(batch_summary(batch)),
        "07_colleague_warning.json": message(colleague_warning(
            "Acme", [colleague], anyway_value(s="Acme", c="C0SLUSH"))),
        "08_booking_form.json": book_modal(metadata='{"c":"C0SLUSH"}', template=DEFAULT_MESSAGE_TEMPLATE,
                                              review_default=True),
        "09_edit_and_retry_form.json": edit_modal(failed, metadata='{"b":12}', template=DEFAULT_MESSAGE_TEMPLATE,
                                                     people=["Alice Smith", "Bob Jones"]),
        "10_home_tab.json": home_view(
            [("review", [review]), ("pending_confirmation", [replace(pending, id=14, startup_name="Gamma Energy")]),
             ("booked", [booked]), ("failed", [replace(failed, id=15, startup_name="Delta Foods")])],
            [booked, replace(colleague, startup_name="Beta Health")],
            review_default=True),
        "11_form_question.json": message(question_message(asking)),
        "12_form_question_form.json": question_modal(asking, asking.questions[0], metadata='{"b":17}',
                                                        remembered="Piloting Zeta's sensors at AXA"),
    }


def builder_url(payload: dict[str, Any]) -> str:
    """A Block Kit Builder link showing ``payload`` (messages show their blocks; views as they are)."""
    shown = {"blocks": payload["blocks"]} if "type" not in payload else payload
    return "https://app.slack.com/block-kit-builder/#" + quote(json.dumps(shown, separators=(",", ":")))


def dump(payload: dict[str, Any]) -> str:
    """The file's text: what Block Kit Builder takes (a message's ``blocks``; a view as it is)."""
    shown = {"blocks": payload["blocks"]} if "type" not in payload else payload
    return json.dumps(shown, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.gallery",
                                     description="Write Booker's main Slack messages and views as Block Kit JSON "
                                                 "files (open them in Block Kit Builder).")
    parser.add_argument("folder", nargs="?", type=Path, default=DOCS, help=f"where to write them (default {DOCS})")
    target = parser.parse_args(argv).folder
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, payload in render_all().items():
            (target / name).write_text(dump(payload), encoding="utf-8")
            print(f"{target / name}")
    except OSError as exc:
        print(f"error: can't write to {exc.filename or target} ({exc.strerror or exc})", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
