"""Signed, unguessable tokens in survey links: a random key plus an HMAC of it."""

from __future__ import annotations

from django.core import signing

SALT = "kliento.surveys.invitation"


class InvalidToken(Exception):
    pass


def sign(key: str) -> str:
    return signing.Signer(salt=SALT).sign(key)


def unsign(token: str) -> str:
    """The invitation key inside a token; InvalidToken when tampered or malformed."""
    if not token or len(token) > 200:
        raise InvalidToken
    try:
        return signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        raise InvalidToken from None
