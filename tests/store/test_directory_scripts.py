"""Ids for names in any script: transliterated, never empty, never shared by two startups."""
import pytest

from booking.store.directory import find_startup, slugify, upsert_startup
from booking.store.models import Startup
from booking.workflow.admin import StartupEntry, store_entries

NAMES = ["Мир Тех", "株式会社", "شركة", "한국 스타트업", "🚀🚀", "Ñandú Labs"]


def test_slugs_are_transliterated_or_hashed():
    assert slugify("Мир Тех") == "mir-tekh"
    assert slugify("株式会社") == "zhu-shi-hui-she"
    assert slugify("Ñandú Labs") == "nandu-labs"
    assert slugify("🚀🚀").startswith("startup-") and slugify("🚀🚀") != slugify("🛸")
    assert all(len(slugify(name)) <= 64 for name in NAMES + ["x" * 300])


@pytest.mark.both_databases
def test_names_in_every_script_are_distinct_startups_found_by_name(db, settings):
    report = store_entries(db, settings.allowed_hosts, [
        StartupEntry(name=name, booking_url=f"https://calendly.com/s{n}/intro") for n, name in enumerate(NAMES)])
    assert (report.added, report.updated) == (len(NAMES), 0)
    with db.session() as session:
        assert session.query(Startup).count() == len(NAMES)
        for n, name in enumerate(NAMES):
            found = find_startup(session, name).startup
            assert found is not None and found.display_name == name
            assert found.config.booking_url == f"https://calendly.com/s{n}/intro"
        assert find_startup(session, "mir tekh").startup.display_name == "Мир Тех"  # typed in Latin letters


@pytest.mark.both_databases
def test_a_second_name_on_the_same_slug_gets_its_own_id(db, settings):
    """`Mir Tekh` transliterates like `Мир Тех`; it must not take over Мир Тех's page and people."""
    with db.transaction() as session:
        upsert_startup(session, name="Мир Тех", booking_url="https://calendly.com/mir/intro", platform="calendly",
                       people=[{"name": "Ivan"}])
    report = store_entries(db, settings.allowed_hosts,
                           [StartupEntry(name="Mir Tekh", booking_url="https://calendly.com/other/intro")])
    assert (report.added, report.updated, report.ids) == (1, 0, ["mir-tekh-2"])
    with db.session() as session:
        mir = find_startup(session, "Мир Тех").startup
        assert (mir.id, mir.config.booking_url, mir.config.available_people) == \
            ("mir-tekh", "https://calendly.com/mir/intro", [{"name": "Ivan"}])
        assert find_startup(session, "Mir Tekh").startup.id == "mir-tekh-2"


@pytest.mark.both_databases
def test_upsert_keeps_a_stored_recipe_unless_told(db):
    recipe = ("steps:\n  - open: '{url}'\n  - pick_time: {slots: li, time_from: {text: true, format: \"%Y-%m-%d %H:%M\"}}"
              "\n  - submit: {text: Book}\n  - success: [.ok]\n")
    with db.transaction() as session:
        upsert_startup(session, name="Studio", booking_url="https://studio.example/b", platform="custom", recipe=recipe)
    with db.transaction() as session:
        upsert_startup(session, name="Studio", booking_url="https://studio.example/c", platform="custom")
    with db.session() as session:
        assert find_startup(session, "Studio").startup.config.recipe == recipe
    with db.transaction() as session:
        upsert_startup(session, name="Studio", booking_url="https://studio.example/c", platform="custom", recipe="")
    with db.session() as session:
        assert find_startup(session, "Studio").startup.config.recipe is None
