from __future__ import annotations

import pytest

from kliento.text import LABELS, SentimentClassifier, analyse, fit_corrections

CLEAR = [
    ("en", "Terrible service, I waited two hours and the staff were rude.", "negative"),
    ("en", "Wonderful experience, the staff were friendly and fast. Thank you!", "positive"),
    ("lv", "Briesmīga apkalpošana, gaidīju divas stundas un neviens nepalīdzēja.", "negative"),
    ("lv", "Paldies, lieliska apkalpošana, ļoti laipni darbinieki!", "positive"),
    ("pl", "Fatalna obsługa, czekałem dwie godziny i nikt mi nie pomógł.", "negative"),
    ("pl", "Wspaniała obsługa, bardzo miły personel, polecam!", "positive"),
    ("sr", "Ужасна услуга, чекао сам два сата и нико ми није помогао.", "negative"),
    ("sr", "Одлична услуга, веома љубазно особље, хвала вам!", "positive"),
    ("sr-latn", "Užasna usluga, čekao sam dva sata i niko mi nije pomogao.", "negative"),
    ("sr-latn", "Odlična usluga, veoma ljubazno osoblje, hvala vam!", "positive"),
    ("et", "Kohutav teenindus, ootasin kaks tundi ja keegi ei aidanud.", "negative"),
    ("et", "Suurepärane teenindus, väga sõbralik personal, aitäh!", "positive"),
    ("hu", "Borzalmas kiszolgálás, két órát vártam és senki sem segített.", "negative"),
    ("hu", "Kiváló kiszolgálás, nagyon kedves személyzet, köszönöm!", "positive"),
]


def test_clear_cases_per_language() -> None:
    results = analyse([t for _, t, _ in CLEAR], themes=[])
    for (tag, text, want), res in zip(CLEAR, results, strict=True):
        assert res.language_tag == tag, text
        assert res.polarity == want, (text, res)
        assert 0.0 < res.confidence <= 1.0


def test_roundtrip_bytes() -> None:
    clf = SentimentClassifier.load_default()
    again = SentimentClassifier.from_bytes(clf.to_bytes())
    assert again.to_bytes() == clf.to_bytes()
    assert len(clf.to_bytes()) < 64_000


def test_from_bytes_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        SentimentClassifier.from_bytes(b'{"format": "something-else"}')


def test_fit_corrections_learns_and_serialises() -> None:
    base = SentimentClassifier.load_default()
    # A workspace where "the bill" talk is neutral bookkeeping, not a complaint.
    texts = [
        "Please send the invoice to our accounting department.",
        "Rēķinu lūdzu sūtīt uz grāmatvedību.",
        "Proszę wysłać fakturę do księgowości.",
        "Molim pošaljite račun u računovodstvo.",
        "Palun saatke arve raamatupidamisse.",
        "Kérem, küldjék a számlát a könyvelésre.",
    ] * 3
    labels = ["neutral"] * len(texts)
    calls: list[tuple[int, int]] = []
    new = fit_corrections(
        base, texts, labels, progress=lambda done, total: calls.append((done, total))
    )
    assert calls and calls[-1][0] == calls[-1][1]
    assert new.meta["corrections"] == len(texts)
    loaded = SentimentClassifier.from_bytes(new.to_bytes())
    res = analyse(texts[:6], themes=[], classifier=loaded)
    assert [r.polarity for r in res] == ["neutral"] * 6
    # Clear cases elsewhere keep their polarity: the new model stays close to the base.
    others = analyse([t for _, t, _ in CLEAR], themes=[], classifier=loaded)
    agree = sum(r.polarity == want for r, (_, _, want) in zip(others, CLEAR, strict=True))
    assert agree >= len(CLEAR) - 1


def test_fit_corrections_validates() -> None:
    base = SentimentClassifier.load_default()
    with pytest.raises(ValueError):
        fit_corrections(base, ["a"], ["angry"])
    with pytest.raises(ValueError):
        fit_corrections(base, ["a", "b"], ["neutral"])
    assert fit_corrections(base, [], []) is base
    assert LABELS == ("negative", "neutral", "positive")
