"""Turn raw feedback (web form text, HTML, e-mail bodies) into the text we analyse.

Everything here is regex/stdlib only: it runs before any model and must never raise.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple

#: Longest text (in characters, after cleaning) that is analysed. Longer text is cut on a
#: sentence or word boundary and flagged ``truncated``. The embedding model reads ~512 tokens
#: at most in one window and customer feedback rarely needs more; the cut also bounds the
#: cost of one pathological input.
MAX_CHARS = 2000

_BLOCK_TAGS = re.compile(
    r"<\s*(br|/p|p|/div|div|/li|li|tr|/tr|/h[1-6]|h[1-6]|/blockquote|hr)\b[^>]*>", re.I
)
# Content of these elements is never visible text.
_INVISIBLE = re.compile(r"<\s*(script|style|head|title)\b[^>]*>.*?<\s*/\s*\1\s*>", re.I | re.S)
# Quoted replies in HTML mail are wrapped in <blockquote> (Gmail, Apple Mail, Thunderbird).
_BLOCKQUOTE = re.compile(r"<\s*blockquote\b[^>]*>.*?<\s*/\s*blockquote\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Only strip things that look like real tags, so "a <3 b" or "x < y > z" survive.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>")
_HTMLISH = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|&[#A-Za-z0-9]+;")

# "On Tue, 3 Jun 2025, Jane <j@x> wrote:" and its translations. Matched on one line, or on
# two lines because clients wrap long attributions.
_ATTRIBUTION = re.compile(
    r"^\s*("
    r"on\b.{0,200}\bwrote\s*:"  # en
    r"|.{0,200}\b(rakstīja|rakstija)\s*:"  # lv: "… Jānis rakstīja:"
    r"|.{0,200}\b(napisał|napisała|napisał\(a\)|napisal|napisala)\s*:"  # pl
    r"|.{0,200}\b(je napisao|je napisala|je napisao/la|написао је|написала је|је написао"
    r"|је написала|napisao je|napisala je)\s*:"  # sr/hr/bs, both scripts
    r"|.{0,200}\b(kirjutas|kirjutas\s+\S+)\s*:"  # et: "… kirjutas:"
    r"|.{0,200}\b(írta|ezt írta|írt)(\s*\(.{0,80}\))?\s*:"  # hu: "… ezt írta (időpont: …):"
    r")\s*$",
    re.I,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*("
    r"original message|forwarded message|oriģinālā ziņa|sākotnējā ziņa|pārsūtīta ziņa"
    r"|wiadomość oryginalna|oryginalna wiadomość|przekazana wiadomość"
    r"|originalna poruka|izvorna poruka|prosleđena poruka|оригинална порука|прослеђена порука"
    r"|algne kiri|algsõnum|edastatud kiri|eredeti üzenet|továbbított üzenet"
    r")\s*-{2,}\s*$",
    re.I,
)
# Outlook's plain-text reply header: "From: …" followed by Sent/To/Subject lines.
_OUTLOOK_FROM = re.compile(
    r"^\s*\*?(from|no|od|šalje|od:|шаље|от|saatja|kellelt|feladó|küldő)\*?\s*:", re.I
)
_OUTLOOK_NEXT = re.compile(
    r"^\s*\*?(sent|date|to|subject|cc|nosūtīts|datums|kam|temats|wysłano|data|do|temat"
    r"|poslato|datum|za|predmet|послато|датум|за|предмет|saadetud|kuupäev|kellele|teema"
    r"|elküldve|dátum|címzett|tárgy)\*?\s*:",
    re.I,
)
_SIG_DASHES = re.compile(r"^\s*--\s*$|^\s*—\s*$|^_{5,}\s*$")
# Sign-offs that start a signature block when they stand alone on a line near the end.
_SIGN_OFFS = re.compile(
    r"^\s*("
    r"best|best regards|kind regards|regards|warm regards|thanks|thank you|thanks again|cheers"
    r"|sincerely|yours sincerely|yours truly|br|sent from my \w+.*"
    r"|ar cieņu|ar labākajiem novēlējumiem|paldies|sveicieni|visu labu"
    r"|pozdrawiam|z poważaniem|z pozdrowieniami|dziękuję|pozdrawiam serdecznie"
    r"|srdačan pozdrav|s poštovanjem|sa poštovanjem|pozdrav|hvala|lp"
    r"|срдачан поздрав|с поштовањем|са поштовањем|поздрав|хвала"
    r"|lugupidamisega|parimate soovidega|tervitades|tervitustega|aitäh"
    r"|üdvözlettel|tisztelettel|köszönettel|üdv|köszönöm"
    r"|wysłane z \w+.*|saadetud minu \w+.*|elküldve az? \w+.*|poslato sa \w+.*"
    r")\s*[,.!:]?\s*$",
    re.I,
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_SENTENCE_END = re.compile(r"[.!?…。]\s")


class Cleaned(NamedTuple):
    text: str
    truncated: bool


def _strip_html(text: str) -> str:
    text = _COMMENT.sub(" ", text)
    text = _INVISIBLE.sub(" ", text)
    text = _BLOCK_TAGS.sub("\n", text)
    text = _TAG.sub(" ", text)
    return html.unescape(text)


def _strip_quoted_reply(lines: list[str]) -> list[str]:
    out: list[str] = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            # Everything from the first quote block on is the earlier conversation; a reply
            # written *below* quotes (inline answering) keeps its unquoted lines.
            continue
        if _ORIGINAL_MESSAGE.match(line):
            break
        if _ATTRIBUTION.match(line):
            break
        # Clients wrap long attributions: "On Mon, 2 Jun 2025, Jane Doe" / "<j@x> wrote:".
        if i + 1 < len(lines) and _ATTRIBUTION.match(line + " " + lines[i + 1]):
            break
        if _OUTLOOK_FROM.match(line):
            following = [ln for ln in lines[i + 1 : i + 5] if ln.strip()]
            if sum(1 for ln in following if _OUTLOOK_NEXT.match(ln)) >= 2:
                break
        out.append(line)
    return out


def _strip_signature(lines: list[str]) -> list[str]:
    for i, line in enumerate(lines):
        if _SIG_DASHES.match(line):
            return lines[:i]
    # A sign-off only counts near the end, so "Thanks for nothing, the app crashed" in the
    # first line of a long message is kept.
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    tail = nonblank[-6:]
    for i in tail:
        if i == nonblank[0]:
            continue
        if _SIGN_OFFS.match(lines[i]):
            return lines[:i]
    return lines


def _truncate(text: str, limit: int) -> Cleaned:
    if len(text) <= limit:
        return Cleaned(text, False)
    head = text[:limit]
    # Prefer a sentence boundary in the last quarter, then a word boundary.
    ends = [m.end() for m in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= limit * 3 // 4:
        return Cleaned(head[: ends[-1]].rstrip(), True)
    space = head.rfind(" ")
    if space >= limit * 3 // 4:
        return Cleaned(head[:space].rstrip(), True)
    return Cleaned(head, True)


def clean(text: str | None, *, is_email: bool = False, max_chars: int = MAX_CHARS) -> Cleaned:
    """Like :func:`clean_text` but also says whether the text was cut."""
    if not text or not isinstance(text, str):
        return Cleaned("", False)
    # Surrogates and control characters come from broken encodings; drop rather than crash.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _HTMLISH.search(text):
        if is_email:
            text = _BLOCKQUOTE.sub("\n", text)
        text = _strip_html(text)
    text = "".join(
        ch
        for ch in text
        if ch in "\n\t"
        or unicodedata.category(ch) not in ("Cc", "Cf")
        # Keep ZWJ so emoji sequences survive.
        or ch == "\u200d"
    )
    if is_email:
        lines = text.split("\n")
        lines = _strip_quoted_reply(lines)
        lines = _strip_signature(lines)
        text = "\n".join(lines)
    text = "\n".join(_SPACES.sub(" ", ln).strip() for ln in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text).strip()
    return _truncate(text, max_chars)


def clean_text(text: str | None, *, is_email: bool = False) -> str:
    """Return the readable text of ``text``.

    Strips HTML tags and entities; with ``is_email`` also quoted replies ("On … wrote:" and its
    lv/pl/sr/et/hu forms, ``>`` lines, Outlook "Original Message"/"From:" headers) and signatures
    ("-- " line, sign-offs such as "Best regards", "Ar cieņu", "Pozdrawiam", "Srdačan pozdrav",
    "Lugupidamisega", "Üdvözlettel"). The result is at most :data:`MAX_CHARS` characters.
    """
    return clean(text, is_email=is_email).text
