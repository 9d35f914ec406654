"""The one door for outbound HTTP: timeouts, a size cap, no surprise redirects, and a guard
against private, loopback and link-local addresses (checked after DNS resolution).

Every webhook, Slack and Teams delivery goes through `post`. The guard resolves the host
itself and connects to the address it checked, so a DNS answer cannot change in between
(DNS rebinding). `KLIENTO_ALLOW_PRIVATE_TARGETS` switches the guard off for tests and
on-premise receivers.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_RESPONSE_BYTES = 64 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "Kliento-Webhooks/1.0"


class HttpError(Exception):
    """The request could not be made or completed; `transient` says whether a retry helps."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _allowed(ip: str) -> bool:
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not (address.is_private or address.is_loopback or address.is_link_local
                or address.is_multicast or address.is_reserved or address.is_unspecified)


def resolve(host: str, port: int) -> str:
    """The address to connect to; refuses non-public ones unless the guard is off."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise HttpError(f"cannot resolve {host}: {exc}", transient=True) from None
    addresses = [info[4][0] for info in infos]
    if not settings.ALLOW_PRIVATE_TARGETS:
        refused = [a for a in addresses if not _allowed(str(a))]
        if refused:
            raise HttpError(f"{host} resolves to a private or local address ({refused[0]}); "
                            "set KLIENTO_ALLOW_PRIVATE_TARGETS to allow it", transient=False)
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        self.sock.settimeout(self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), CONNECT_TIMEOUT)
        sock.settimeout(self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST `body` to `url`. Redirects are followed only to the same host (and re-checked)."""
    for _ in range(MAX_REDIRECTS + 1):
        response = _post_once(url, body, headers)
        if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
            target = urljoin(url, response.headers["location"])
            if urlsplit(target).hostname != urlsplit(url).hostname:
                raise HttpError(f"redirect to another host refused: {target[:200]}",
                                transient=False)
            url = target
            continue
        return response
    raise HttpError("too many redirects", transient=False)


def _post_once(url: str, body: bytes, headers: dict[str, str]) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpError(f"not an http(s) URL: {url[:200]}", transient=False)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    conn = cls(parts.hostname, port, address, READ_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("POST", path, body=body, headers={
            "User-Agent": USER_AGENT, "Content-Length": str(len(body)), **headers})
        raw = conn.getresponse()
        data = raw.read(MAX_RESPONSE_BYTES + 1)[:MAX_RESPONSE_BYTES]
        return Response(raw.status, data, {k.lower(): v for k, v in raw.getheaders()})
    except TimeoutError as exc:
        raise HttpError(f"timed out: {exc}", transient=True) from None
    except ssl.SSLError as exc:
        raise HttpError(f"TLS error: {exc}", transient=True) from None
    except (OSError, http.client.HTTPException) as exc:
        raise HttpError(f"{type(exc).__name__}: {exc}", transient=True) from None
    finally:
        conn.close()
