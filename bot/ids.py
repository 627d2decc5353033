"""Every Slack id Booker uses: action_ids, callback_ids and the block/action ids its forms are read by.

The values are public (Slack sends them back, and tests/guards/slack_ids.json holds the set the app
registers): change a name here freely, never a value. Imports nothing.
"""
from __future__ import annotations

# -- action ids (one listener each; see bot/listeners/actions.py) -----------------------------------
CANCEL = "booking_cancel"
RETRY = "booking_retry"
EDIT_RETRY = "booking_edit_retry"
OPEN_PAGE = "booking_open_page"
MARK_CONFIRMED = "booking_mark_confirmed"
CHECK_NOW = "booking_check_now"
ACCEPT_RESCHEDULE = "booking_accept_new_time"
DECLINE_RESCHEDULE = "booking_decline_new_time"
OPEN_CALENDAR = "booking_open_calendar"
APPROVE = "review_approve"
OTHER_SLOT = "review_other_slot"
BOOK_ANYWAY = "book_anyway"
DONT_BOOK = "book_anyway_dismiss"
QUESTION_CHOICES = tuple(f"question_choice_{n}" for n in range(5))  # one button per choice (≤ 5)
QUESTION_ANSWER = "question_answer"  # opens the one-field form
HOME_BOOK = "home_book"
HOME_REVIEW_DEFAULT = "home_review_default"
HOME_HOURS = "home_hours"
THREAD_LINK = "booking_thread_link"
URL_ACTIONS = (OPEN_PAGE, OPEN_CALENDAR, THREAD_LINK)

# -- modals -----------------------------------------------------------------------------------------
BOOK_MODAL = "book_modal"
EDIT_MODAL = "edit_retry_modal"
QUESTION_MODAL = "question_modal"
QUESTION_INPUT = "question_input"
STARTUP_PICK = "startup_pick"
PERSON_PICK = "person_pick"
PREF_DAY, PREF_FROM, PREF_UNTIL = "pref_day", "pref_from", "pref_until"
MESSAGE = "message"
OPTIONS = "options"
REVIEW_OPTION = "review"
ANYWAY_OPTION = "anyway"
ANYONE = "__anyone__"

# -- the Home tab's "Working hours" form (each input's block id is also its action id) ---------------
HOURS_VIEW = "working_hours"
START, END, DAYS, BUFFER, ZONE = "hours_start", "hours_end", "hours_days", "hours_buffer", "hours_zone"
