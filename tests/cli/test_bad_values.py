"""Values that used to be accepted silently are refused, naming the option and the value, with nothing written:
an exam language, a country, an item type; the services refuse them too, so the web and the API do."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from certprep.config import load_settings
from certprep.domain.profile import country_code, exam_language
from certprep.errors import InvalidInput
from certprep.services import forms
from certprep.services.content import get_catalog
from certprep.services.database import open_database
from certprep.services.profile import book_exam
from tests.cli.conftest import Learner


def test_profile_book_refuses_an_unknown_language_and_books_nothing(learner: Learner) -> None:
    code, out, err = learner.run("profile", "book", "--at", "2027-03-01T09:00", "--language", "klingon")
    assert code == 1 and out == ""
    assert err.startswith("error: --language 'klingon' is not a language code: use ISO 639-1, e.g. en, ja")
    _, out, _ = learner.run("profile", "show", "--json")
    assert json.loads(out)["bookings"] == []


def test_profile_book_takes_microsofts_exam_language_codes(learner: Learner) -> None:
    code, out, _ = learner.run("profile", "book", "--at", "2027-03-01T09:00", "--language", "PT_br")
    assert code == 0 and "(pt-BR)" in out


def test_exam_refuses_an_unknown_language_naming_the_option(learner: Learner) -> None:
    code, out, err = learner.run("exam", "--language", "klingon")
    assert code == 1 and "Mock exam" not in out
    assert err.startswith("error: --language 'klingon' is not a language code")
    _, out, _ = learner.run("attempts", "--json")
    assert json.loads(out)["attempts"] == []


def test_roadmap_refuses_an_unknown_country(learner: Learner) -> None:
    code, out, err = learner.run("roadmap", "--country", "ZZ")
    assert code == 1 and out == ""
    assert err.startswith("error: country 'ZZ' is not a country code: use ISO 3166-1 alpha-2")
    assert learner.run("roadmap", "--country", "fr", "--json")[0] == 0


@pytest.mark.parametrize(
    ("value", "code"),
    [("en", "en"), ("EN", "en"), ("ja", "ja"), ("zh-hans", "zh-Hans"), ("zh_TW", "zh-TW"), (" de ", "de")],
)
def test_exam_languages_are_normalised(value: str, code: str) -> None:
    assert exam_language(value) == code


@pytest.mark.parametrize("value", ["klingon", "tlh", "xx", "e", "", "en-XX", "en-Abcd", "ja-JP-x", "é1"])
def test_other_languages_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        exam_language(value)
    assert caught.value.data == {"field": "language"} and repr(value) in caught.value.message


@pytest.mark.parametrize("value", ["ZZ", "", "FRA", "U", "é"])
def test_unknown_countries_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput, match="is not a country code"):
        country_code(value)
    assert country_code(" in ") == "IN"


def test_the_booking_service_refuses_an_unknown_language() -> None:
    db = open_database(load_settings(), migrate=True)
    now = datetime.now(UTC)
    with pytest.raises(InvalidInput, match="language 'klingon' is not a language code"):
        book_exam(
            db,
            catalog=get_catalog(),
            learner_id="local",
            exam="AZ-400",
            scheduled_at=now + timedelta(days=30),
            timezone="UTC",
            language="klingon",
            now=now,
        )
    db.dispose()


def test_a_practice_filter_with_an_unknown_type_is_refused_when_made() -> None:
    with pytest.raises(InvalidInput) as caught:
        forms.PracticeFilter(types=("single", "essay"))
    assert caught.value.message == (
        "unknown item type 'essay'; choose one of: single, multiple, build-list, drag-drop, hot-area, yes-no"
    )
    assert caught.value.data == {"field": "types"}
