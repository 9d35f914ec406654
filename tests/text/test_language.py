from __future__ import annotations

import pytest

from kliento.text import detect_language, detect_script
from kliento.text.language import language_tag, normalise_languages

CASES = [
    ("I waited an hour and nobody helped me", "en", "Latn", "en"),
    ("Gaidīju rindā veselu stundu, neviens man nepalīdzēja", "lv", "Latn", "lv"),
    ("Czekałem godzinę i nikt mi nie pomógł", "pl", "Latn", "pl"),
    ("Чекао сам сат времена и нико ми није помогао", "sr", "Cyrl", "sr"),
    ("Čekao sam sat vremena i niko mi nije pomogao", "sr", "Latn", "sr-latn"),
    ("Ootasin tund aega ja keegi ei aidanud mind", "et", "Latn", "et"),
    ("Egy órát vártam, és senki sem segített", "hu", "Latn", "hu"),
]


@pytest.mark.parametrize(("text", "lang", "script", "tag"), CASES)
def test_language_and_script(text: str, lang: str, script: str, tag: str) -> None:
    assert detect_script(text) == script
    got, p = detect_language(text)
    assert got == lang
    assert p > 0.5
    assert language_tag(got, script) == tag


def test_croatian_counts_as_serbian_latin() -> None:
    got, _ = detect_language("Tjedan dana sam čekao dostavu, a nitko se nije javio")
    assert got == "sr"


@pytest.mark.parametrize("text", ["", "   ", "ok", "👍👍", "12345 !!!", "?"])
def test_undetermined(text: str) -> None:
    assert detect_language(text)[0] == "und"


def test_restricted_to_workspace_languages() -> None:
    assert detect_language("Egy órát vártam, és senki sem segített", ["hu", "en"])[0] == "hu"
    # Cyrillic cannot be English: better "und" than a wrong tag.
    assert detect_language("Чекао сам сат времена", ["en", "lv"])[0] == "und"
    # A clearly foreign language is not forced into a workspace language.
    assert (
        detect_language("Ich habe eine Stunde gewartet und niemand hat geholfen", ["en"])[0]
        == "und"
    )


def test_language_codes() -> None:
    assert normalise_languages(["sr-Latn", "EN", "sr_cyrl"]) == ("sr-latn", "en", "sr")
    with pytest.raises(ValueError):
        normalise_languages(["de"])


def test_script_of_mixed_and_other() -> None:
    assert detect_script("") == ""
    assert detect_script("こんにちは") == ""
    assert detect_script("Hello Здраво здраво") == "Cyrl"
