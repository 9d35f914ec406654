from __future__ import annotations

import dataclasses

import pytest

from kliento.text import MAX_CHARS, TextAnalysis, analyse

BAD = ["", "   \n\t", "😀😀😀", "!!!???", "<p>&nbsp;</p>", "\x00\x07", "a" * 50_000, "\ud83d"]


def test_bad_input_never_raises() -> None:
    results = analyse(BAD)
    assert len(results) == len(BAD)
    for r in results:
        assert isinstance(r, TextAnalysis)
        assert r.polarity in ("negative", "neutral", "positive")
        assert 0.0 <= r.confidence <= 1.0
        assert r.language_tag in ("en", "lv", "pl", "sr", "sr-latn", "et", "hu", "und")


def test_empty_is_neutral_und_low_confidence() -> None:
    for r in analyse(["", "  ", "<br>"]):
        assert (r.language, r.script, r.polarity, r.themes) == ("und", "", "neutral", [])
        assert r.confidence == 0.0
        assert r.language_tag == "und"


def test_emoji_only_is_und_and_unsure() -> None:
    r = analyse(["😡😡😡"])[0]
    assert r.language == "und"
    assert r.confidence <= 0.5


def test_long_text_truncated() -> None:
    text = "The delivery was late again and nobody called me back. " * 100
    r = analyse([text])[0]
    assert r.truncated
    assert len(r.cleaned_text) <= MAX_CHARS
    assert r.polarity == "negative"


def test_html_is_cleaned() -> None:
    r = analyse(["<p>The app <b>crashes</b> every&nbsp;time I pay &amp; it&#39;s awful</p>"])[0]
    assert r.cleaned_text == "The app crashes every time I pay & it's awful"
    assert r.language == "en"
    assert r.polarity == "negative"


def test_email_flag() -> None:
    mail = "Nikt nie odpowiedział na moją reklamację.\n\nPozdrawiam\nJan\n\n> stara wiadomość"
    r = analyse([mail], is_email=True)[0]
    assert r.cleaned_text == "Nikt nie odpowiedział na moją reklamację."
    assert r.language == "pl"


def test_workspace_languages_restrict() -> None:
    text = "Čekao sam sat vremena u redu"
    assert analyse([text], languages=["sr-latn", "en"], themes=[])[0].language_tag == "sr-latn"
    assert analyse([text], languages=["sr"], themes=[])[0].language_tag == "sr-latn"
    with pytest.raises(ValueError):
        analyse([text], languages=["xx"])


def test_mixed_language_gives_an_answer() -> None:
    r = analyse(["Super fast delivery, paldies, köszönöm szépen!"], themes=[])[0]
    assert r.language in ("en", "lv", "hu", "und")
    assert r.polarity == "positive"


def test_frozen_and_empty_batch() -> None:
    r = analyse(["ok"])[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.polarity = "x"  # type: ignore[misc]
    assert analyse([]) == []
