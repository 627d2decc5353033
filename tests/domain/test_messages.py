"""The intro message: placeholders are substituted, never evaluated."""
import pytest

from booking.config.settings import DEFAULT_MESSAGE_TEMPLATE
from booking.domain.messages import TemplateError, render_template, validate_template


def test_default_message_names_the_teammate_and_team():
    text = render_template(DEFAULT_MESSAGE_TEMPLATE, {"user_name": "Eduardo Paz", "company": "AXA Innovation"})
    assert text.startswith("Hello, my name is Eduardo Paz from the Venture Clienting team at AXA Innovation.")


@pytest.mark.parametrize("template", ["{user_name.__class__}", "{0}", "{}", "{user_name!r}", "{email:>10}", "{__import__}"])
def test_format_string_tricks_are_refused(template):
    with pytest.raises(TemplateError):
        validate_template(template)


def test_values_are_not_expanded_again():
    text = render_template("Hi {person}, I'm {user_name}", {"person": "{user_name}", "user_name": "Eve"})
    assert text == "Hi {user_name}, I'm Eve"


def test_double_braces_stay_literal():
    assert render_template("{{not a field}} {first_name}", {"first_name": "Ana"}) == "{not a field} Ana"


def test_limits():
    with pytest.raises(TemplateError, match="longer"):
        validate_template("x" * 3001)
    with pytest.raises(TemplateError, match="control"):
        validate_template("hi\x07")
