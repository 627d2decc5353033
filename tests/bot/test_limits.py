"""Slack's limits: every message and view Booker builds passes slack_sdk's own Block Kit validators,
carries a text fallback, and stays within its block budget even with huge input; the committed
Block Kit JSON in docs/blocks is what the code renders today."""
from __future__ import annotations

import json

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from booking.domain.states import BookingStatus
from booking.notify.notifier import BatchView
from bot.blocks.booking import booking_message
from bot.blocks.kit import MAX_MESSAGE_BLOCKS, MAX_TEXT_FALLBACK, MAX_VALUE
from bot.blocks.lists import anyway_value, batch_summary
from bot.gallery import DOCS, builder_url, dump, render_all, sample

S = BookingStatus
PAYLOADS = render_all()


def check_message(payload):
    assert payload["text"] and len(payload["text"]) <= MAX_TEXT_FALLBACK
    assert 0 < len(payload["blocks"]) <= MAX_MESSAGE_BLOCKS
    for block in payload["blocks"]:
        Block.parse(block).validate_json()
    check_ids(payload["blocks"])


def check_ids(blocks):
    block_ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))
    for block in blocks:
        if block["type"] == "actions":
            ids = [e["action_id"] for e in block["elements"]]
            assert len(ids) == len(set(ids)), f"action_id repeated in {block['block_id']}"


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_every_gallery_payload_is_valid_block_kit(name):
    payload = PAYLOADS[name]
    if payload.get("type") in ("modal", "home"):
        View(**payload).validate_json()
        check_ids(payload["blocks"])
    else:
        check_message(payload)
    assert builder_url(payload).startswith("https://app.slack.com/block-kit-builder/#%7B")


def test_docs_blocks_are_current():
    """`python -m bot.gallery` regenerates docs/blocks; run it after changing bot/blocks/."""
    assert sorted(p.name for p in DOCS.glob("*.json")) == sorted(PAYLOADS)
    for name, payload in PAYLOADS.items():
        assert (DOCS / name).read_text(encoding="utf-8") == dump(payload), name


@pytest.mark.parametrize("status", list(S))
def test_huge_input_stays_within_limits(status):
    long = "Ä" * 5000
    view = sample(status, startup_name=long[:200], person_name=long[:200], error_message=long,
                  booking_url="https://calendly.com/" + "a" * 1900, user_name=long[:200])
    text, blocks = booking_message(view)
    check_message({"text": text, "blocks": blocks})
    batch = BatchView(id=1, user_id="U1", request_text=long, items=tuple(sample(status, id=n) for n in range(15)),
                      skipped=tuple({"name": long[:200], "reason": long} for _ in range(15)))
    text, blocks = batch_summary(batch)
    check_message({"text": text, "blocks": blocks})


def test_user_text_cannot_become_mentions_or_links():
    view = sample(S.FAILED, startup_name="<!channel> Acme", error_message="see <https://evil.example|here> & <@U1>")
    text, blocks = booking_message(view)
    rendered = json.dumps(blocks)
    assert "<!channel>" not in rendered and "<https://evil.example" not in rendered and "<@U1>" not in rendered
    assert "&lt;!channel&gt; Acme" in blocks[0]["text"]["text"]


def test_button_values_and_anyway_value_fit():
    from bot.listeners.commands import MAX_COMMAND_TEXT

    value = anyway_value(s="x" * MAX_COMMAND_TEXT, u="https://calendly.com/" + "y" * MAX_COMMAND_TEXT, c="C1", b=1)
    assert len(value) <= MAX_VALUE and json.loads(value)["b"] == 1
    with pytest.raises(ValueError):
        anyway_value(s="x" * 3000)
