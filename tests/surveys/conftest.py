from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


@pytest.fixture
def survey(api: Any) -> dict[str, Any]:
    r = api.post("/surveys", {"name": "After support", "kind": "csat"})
    assert r.status_code == 201, r.content
    return r.json()


@pytest.fixture
def invite(api: Any, survey: dict[str, Any]) -> Any:
    def make(email: str = "ilze@example.lv", **extra: Any) -> dict[str, Any]:
        body = {"customer": {"email": email, **extra.pop("customer", {})}, **extra}
        r = api.post(f"/surveys/{survey['id']}/invitations", body)
        assert r.status_code == 201, r.content
        return r.json()[0]

    return make
