from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newsdesk.sources.catalog import (
    DEFAULTS,
    FoundSource,
    default_source_problems,
    install_default_sources,
    save_source,
)
from newsdesk.sources.models import Feed, Source


@pytest.fixture(scope="module")
def defaults() -> list[dict[str, Any]]:
    entries = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    assert isinstance(entries, list)
    return entries


def test_the_default_list_has_a_sound_schema(defaults: list[dict[str, Any]]) -> None:
    assert len(defaults) >= 30
    for entry in defaults:
        assert {"name", "homepage", "feeds", "language", "country"} <= set(entry), entry
        name, homepage, feeds = entry["name"], entry["homepage"], entry["feeds"]
        language, country = entry["language"], entry["country"]
        assert isinstance(name, str) and name.strip() == name and name
        assert isinstance(language, str) and len(language) == 2 and language.islower()
        assert isinstance(country, str) and len(country) == 2 and country.isupper()
        assert isinstance(feeds, list) and feeds
        for url in [homepage, *feeds]:
            assert isinstance(url, str)
            parts = urlsplit(url)
            assert parts.scheme in {"http", "https"} and parts.netloc, url
        assert entry.get("section", "World") in {"World", "Politics", "Business", "Science"}
        assert default_source_problems(entry) == []
    names = [str(entry["name"]) for entry in defaults]
    assert len(set(names)) == len(names)
    feed_urls = [url for entry in defaults for url in entry["feeds"]]
    assert len(set(feed_urls)) == len(feed_urls)


def test_the_default_list_is_international(defaults: list[dict[str, Any]]) -> None:
    by_name = {entry["name"]: entry for entry in defaults}
    assert by_name["Al Jazeera English"]["language"] == "en"
    assert by_name["Al Jazeera Arabic"]["language"] == "ar"
    languages = {entry["language"] for entry in defaults}
    assert {"en", "ar", "fr", "es", "de"} <= languages
    countries = {entry["country"] for entry in defaults}
    # Europe, the Middle East, Africa, Asia, the Americas and Oceania.
    assert {"GB", "QA", "ZA", "IN", "US", "BR", "AU"} <= countries


@pytest.mark.django_db
def test_installing_the_defaults_twice_adds_them_once(defaults: list[dict[str, Any]]) -> None:
    assert install_default_sources() == len(defaults)
    assert install_default_sources() == 0
    assert Source.objects.count() == len(defaults)
    arabic = Source.objects.get(name="Al Jazeera Arabic")
    assert arabic.language == "ar" and arabic.country == "QA"
    assert arabic.feeds.count() == 1


@pytest.mark.django_db
def test_a_bad_entry_is_skipped_and_the_rest_installed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = {
        "name": "Good",
        "homepage": "https://good.test/",
        "language": "en",
        "country": "gb",
        "feeds": ["https://good.test/rss"],
    }
    path = tmp_path / "sources.json"
    path.write_text(
        json.dumps(
            [
                {**good, "name": "No Feeds", "feeds": []},
                {**good, "name": "Bad Feed", "feeds": ["javascript:alert(1)"]},
                "not an object",
                good,
            ]
        )
    )
    assert install_default_sources(path) == 1
    assert Source.objects.get().country == "GB"
    assert "entry 1 skipped: no feeds" in caplog.text
    assert "entry 2 skipped: not an http(s) URL: javascript:alert(1)" in caplog.text
    assert "entry 3 skipped: not a JSON object" in caplog.text


def test_an_unreadable_list_says_so(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    path.write_text("[{")
    with pytest.raises(ValueError, match="cannot read the source list"):
        install_default_sources(path)


@pytest.mark.django_db
def test_a_name_without_latin_letters_gets_a_slug_from_its_host() -> None:
    found = FoundSource(
        "الجزيرة نت",
        "https://www.aljazeera.net/",
        ("https://www.aljazeera.net/rss",),
        "ar",
        kinds={"https://www.aljazeera.net/rss": "rss"},
    )
    source, created = save_source(found, "qa")
    assert created and source.slug == "aljazeera-net" and source.country == "QA"
    assert Feed.objects.get().kind == Feed.Kind.RSS
    # The same name again, with a new feed: the source is found and the feed added to it.
    again, created = save_source(
        FoundSource(found.name, found.homepage, ("https://www.aljazeera.net/other",), "ar")
    )
    assert not created and again == source and source.feeds.count() == 2
