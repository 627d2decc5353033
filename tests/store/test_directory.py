"""The startup directory: exact names and aliases match; near misses only suggest."""
import pytest

from booking.store.directory import find_startup, normalize, upsert_startup


def seed(db):
    with db.transaction() as s:
        upsert_startup(s, name="Acme Robotics", booking_url="https://calendly.com/acme", platform="calendly",
                       aliases=["acme", "ACME Corp"])
        upsert_startup(s, name="Beta Health", booking_url="https://calendly.com/beta", platform="calendly")
        upsert_startup(s, name="Ñandú Labs", booking_url="https://calendly.com/nandu", platform="calendly")


@pytest.mark.both_databases
def test_names_aliases_and_accents_match(db):
    seed(db)
    with db.session() as s:
        assert find_startup(s, "acme robotics").startup.id == "acme-robotics"
        assert find_startup(s, "  ACME corp!").startup.id == "acme-robotics"
        assert find_startup(s, "nandu labs").startup.display_name == "Ñandú Labs"


@pytest.mark.both_databases
def test_near_miss_suggests_without_guessing(db):
    seed(db)
    with db.session() as s:
        result = find_startup(s, "Acme Robotic")
        assert result.startup is None and result.suggestions[0] == "Acme Robotics"
        assert find_startup(s, "beta").suggestions == ["Beta Health"]
        assert find_startup(s, "zzz").suggestions == []
        assert find_startup(s, "").startup is None


@pytest.mark.both_databases
def test_upsert_updates_in_place(db):
    seed(db)
    with db.transaction() as s:
        upsert_startup(s, name="Beta Health", booking_url="https://calendly.com/beta2", platform="calendly",
                       people=[{"name": "Bo", "email": "bo@beta.example"}])
    with db.session() as s:
        startup = find_startup(s, "Beta Health").startup
        assert startup.config.booking_url == "https://calendly.com/beta2"
        assert startup.config.available_people == [{"name": "Bo", "email": "bo@beta.example"}]


def test_normalize():
    assert normalize("  Café—Crème ") == "cafe creme"


@pytest.mark.both_databases
def test_a_startups_own_name_wins_over_another_startups_alias(db):
    with db.transaction() as s:
        upsert_startup(s, name="Acme", booking_url="https://calendly.com/acme", platform="calendly")
        # sorts first, and claims the other startup's name as its alias
        upsert_startup(s, name="AAA Robotics", booking_url="https://calendly.com/aaa", platform="calendly",
                       aliases=["acme"])
    with db.session() as s:
        assert find_startup(s, "Acme").startup.display_name == "Acme"
        assert find_startup(s, "aaa").startup is None  # the start of a name only suggests it
