from __future__ import annotations

from kliento.text import DEFAULT_THEMES, Theme, analyse

EXPECTED_KEYS = {
    "waiting_time",
    "staff_attitude",
    "product_quality",
    "price_billing",
    "delivery",
    "communication",
    "website_app",
}


def test_default_themes() -> None:
    assert {t.key for t in DEFAULT_THEMES} == EXPECTED_KEYS
    for t in DEFAULT_THEMES:
        assert t.name and len(t.examples) >= 5


def test_english_example_finds_hungarian_complaint() -> None:
    theme = Theme("refunds", "Refunds", ["I want my money back", "the refund has not arrived"])
    other = Theme("parking", "Parking", ["there was nowhere to park the car"])
    res = analyse(
        ["Nem kaptam vissza a pénzemet, kérem a visszatérítést."],
        themes=[theme, other],
    )[0]
    assert res.themes and res.themes[0][0] == "refunds"
    assert "parking" not in dict(res.themes)


def test_default_themes_across_languages() -> None:
    cases = [
        ("Másfél órát kellett várakoznom az ügyfélszolgálaton", "waiting_time"),
        ("Pani w recepcji była bardzo miła i pomocna", "staff_attitude"),
        ("Kāpēc man rēķinā ir divreiz iekasēta maksa?", "price_billing"),
        ("Pakk jäi kulleri juurde kinni ja ei jõudnud kunagi kohale", "delivery"),
        ("Nobody ever answered my emails", "communication"),
        ("Aplikacija mi ne dozvoljava da se prijavim", "website_app"),
        ("The blender stopped working after three days", "product_quality"),
    ]
    results = analyse([t for t, _ in cases])
    for (text, key), res in zip(cases, results, strict=True):
        assert res.themes, text
        assert res.themes[0][0] == key, (text, res.themes)
        scores = [s for _, s in res.themes]
        assert scores == sorted(scores, reverse=True)


def test_unrelated_text_has_no_theme() -> None:
    res = analyse(["Ilus ilm täna", "Ok"])
    assert all(r.themes == [] for r in res)


def test_no_themes_requested() -> None:
    assert analyse(["The app keeps crashing"], themes=[])[0].themes == []
