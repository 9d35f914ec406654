from __future__ import annotations

import pytest

from kliento.text import MAX_CHARS, clean, clean_text


def test_html_tags_and_entities() -> None:
    raw = "<div><p>Hello &amp; welcome</p><script>alert(1)</script><br>Bye&nbsp;now</div>"
    assert clean_text(raw) == "Hello & welcome\n\nBye now"


def test_plain_angle_brackets_survive() -> None:
    assert clean_text("I <3 this, and 2 < 3 > 1") == "I <3 this, and 2 < 3 > 1"


@pytest.mark.parametrize(
    "attribution",
    [
        "On Tue, 3 Jun 2025 at 10:00, Kliento Support <help@example.com> wrote:",
        "2025. gada 3. jūn., plkst. 10:00, Kliento <help@example.lv> rakstīja:",
        "W dniu 3.06.2025 o 10:00 Kliento <help@example.pl> napisał:",
        "Dana 3. 6. 2025. u 10:00, Kliento <help@example.rs> je napisao:",
        "3. јун 2025. у 10:00, Kliento <help@example.rs> је написао:",
        "K, 3. juuni 2025 kell 10:00 Kliento <help@example.ee> kirjutas:",
        "Kliento <help@example.hu> ezt írta (időpont: 2025. jún. 3., K, 10:00):",
    ],
)
def test_quoted_reply_removed_in_every_language(attribution: str) -> None:
    mail = f"The refund never arrived.\n\n{attribution}\n> Dear customer,\n> we refunded you."
    assert clean_text(mail, is_email=True) == "The refund never arrived."


def test_wrapped_attribution_and_quote_lines() -> None:
    mail = (
        "Still broken.\nOn Mon, 2 Jun 2025 at 09:12, Jane Doe\n<jane@example.com> wrote:\n"
        "> old text"
    )
    assert clean_text(mail, is_email=True) == "Still broken."


def test_outlook_original_message_and_from_block() -> None:
    mail = (
        "Nie działa logowanie.\n\n-----Original Message-----\n"
        "From: A\nSent: B\nTo: C\nSubject: D\n\nold"
    )
    assert clean_text(mail, is_email=True) == "Nie działa logowanie."
    mail2 = (
        "Arve on vale.\n\nFrom: Kliento <a@b.ee>\nSent: Monday\nTo: me\nSubject: Re: arve\n\nold"
    )
    assert clean_text(mail2, is_email=True) == "Arve on vale."


@pytest.mark.parametrize(
    "signoff",
    [
        "Best regards,",
        "Ar cieņu,",
        "Pozdrawiam",
        "Srdačan pozdrav,",
        "С поштовањем,",
        "Lugupidamisega",
        "Üdvözlettel:",
    ],
)
def test_signature_removed(signoff: str) -> None:
    mail = (
        f"Your courier lost my parcel.\nPlease call me.\n\n{signoff}\nName Surname\n+371 20000000"
    )
    assert clean_text(mail, is_email=True) == "Your courier lost my parcel.\nPlease call me."


def test_dash_dash_signature_and_leading_thanks_kept() -> None:
    mail = "Thanks for nothing, the app crashed again.\n-- \nJohn\nACME Ltd"
    assert clean_text(mail, is_email=True) == "Thanks for nothing, the app crashed again."


def test_not_email_keeps_quotes() -> None:
    assert clean_text("> quoted\nmine") == "> quoted\nmine"


def test_truncation_flag_and_limit() -> None:
    text = "This is a sentence about the service. " * 200
    c = clean(text)
    assert c.truncated
    assert len(c.text) <= MAX_CHARS
    assert c.text.endswith(".")
    assert not clean("short").truncated


@pytest.mark.parametrize(
    "bad", ["", "   \n\t ", None, "\x00\x01\x02", "\ud800broken", "<p></p>", "&nbsp;"]
)
def test_bad_input_never_raises(bad: str | None) -> None:
    out = clean_text(bad)
    assert isinstance(out, str)
    assert out.strip() == out
