"""The one door for outbound HTTP: a total deadline, a size cap, no surprise redirects, and a
guard against every address that is not globally routable (checked after DNS resolution).

Every webhook, Slack and Teams delivery goes through `post`. The guard resolves the host
itself and connects to the address it checked, so a DNS answer cannot change in between
(DNS rebinding). `KLIENTO_ALLOW_PRIVATE_TARGETS` switches the guard off for tests and
on-premise receivers.

A socket timeout bounds each read, not the request: a receiver that trickles one byte a second
never trips it. So `post` has one deadline for everything (connect, TLS, sending, every read,
redirects), `settings.SEND_DEADLINE_SECONDS`, which settings.py keeps at most half the
delivery lease; a send that is cut off is a retryable error, recorded while the worker still
holds the delivery, so no second worker sends it meanwhile.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CONNECT_TIMEOUT = 5.0
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


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Not globally routable, whatever this Python's `is_global` says (its tables changed between
# patch releases): shared address space of carriers and cloud metadata (100.64.0.0/10, with
# 100.100.100.200), benchmarking, documentation, the old 6to4 relay, discard-only, NAT64 for
# local use, deprecated site-local.
_NOT_GLOBAL = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
    "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/128", "::1/128", "100::/64", "2001:db8::/32", "64:ff9b:1::/48", "fc00::/7",
    "fe80::/10", "fec0::/10", "ff00::/8",
)]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries to: mapped, 6to4, NAT64, Teredo."""
    if address.ipv4_mapped:
        return [address.ipv4_mapped]
    if address.sixtofour:
        return [address.sixtofour]
    if address in _NAT64:
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    if address.teredo:
        return list(address.teredo)
    return []


def _routable(address: IPAddress) -> bool:
    return (address.is_global and not (
        address.is_private or address.is_loopback or address.is_link_local
        or address.is_multicast or address.is_reserved or address.is_unspecified)
        and not any(address.version == net.version and address in net for net in _NOT_GLOBAL))


def is_public(ip: str) -> bool:
    """Whether an address is globally routable; an IPv6 address that wraps an IPv4 one
    (mapped, 6to4, NAT64, Teredo) is judged by the address it leads to."""
    address = ipaddress.ip_address(ip)
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded:
            return all(_routable(a) for a in embedded)
    return _routable(address)


def literal_address(host: str) -> str | None:
    """The address when a URL's host is written as an IP address, else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def resolve(host: str, port: int) -> str:
    """The address to connect to; refuses non-public ones unless the guard is off."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise HttpError(f"cannot resolve {host}: {exc}", transient=True) from None
    addresses = [info[4][0] for info in infos]
    if not settings.ALLOW_PRIVATE_TARGETS:
        refused = [a for a in addresses if not is_public(str(a))]
        if refused:
            raise HttpError(f"{host} resolves to a private or local address ({refused[0]}); "
                            "set KLIENTO_ALLOW_PRIVATE_TARGETS to allow it", transient=False)
    return str(addresses[0])


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        """Seconds left; TimeoutError when none are."""
        left = self.at - time.monotonic()
        if left <= 0:
            raise self.passed()
        return left

    def passed(self) -> TimeoutError:
        return TimeoutError(f"no complete answer within {self.seconds:g} s")


class _DeadlineReader(io.RawIOBase):
    """Reads the socket with a timeout of whatever is left of the deadline, each time."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.left())
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError:  # the timeout was what was left of the deadline
            raise self._deadline.passed() from None


class _DeadlineSocket:
    """What http.client uses of a socket (sendall, makefile, close), under one deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.left())  # a timeout bounds all of sendall
        try:
            self._sock.sendall(data)
        except TimeoutError:
            raise self._deadline.passed() from None

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        # http.client closes the connection as soon as it sees "Connection: close", before
        # the body is read; the real socket is closed by `_PinnedHTTPConnection.release`.
        pass


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, deadline: _Deadline) -> None:
        super().__init__(host, port)
        self._address = address
        self._deadline = deadline
        self._sockets: list[socket.socket] = []

    def _open(self) -> socket.socket:
        sock = socket.create_connection((self._address, self.port),
                                        min(CONNECT_TIMEOUT, self._deadline.left()))
        self._sockets.append(sock)
        sock.settimeout(self._deadline.left())
        return sock

    def connect(self) -> None:
        self.sock = _DeadlineSocket(self._open(), self._deadline)

    def release(self) -> None:
        self.close()
        for sock in self._sockets:
            sock.close()


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    def connect(self) -> None:
        # The handshake as a whole is bounded by the socket's timeout (what is left).
        sock = ssl.create_default_context().wrap_socket(self._open(), server_hostname=self.host)
        self._sockets.append(sock)  # wrapping took over the plain socket's file descriptor
        self.sock = _DeadlineSocket(sock, self._deadline)


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST `body` to `url`, all within the send deadline. Redirects are followed only to the
    same host (and re-checked)."""
    deadline = _Deadline(settings.SEND_DEADLINE_SECONDS)
    for _ in range(MAX_REDIRECTS + 1):
        response = _post_once(url, body, headers, deadline)
        if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
            target = urljoin(url, response.headers["location"])
            if urlsplit(target).hostname != urlsplit(url).hostname:
                raise HttpError(f"redirect to another host refused: {target[:200]}",
                                transient=False)
            url = target
            continue
        return response
    raise HttpError("too many redirects", transient=False)


def _post_once(url: str, body: bytes, headers: dict[str, str], deadline: _Deadline,
               ) -> Response:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise HttpError(f"not an http(s) URL: {url[:200]}", transient=False)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    conn = cls(parts.hostname, port, address, deadline)
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
        conn.release()
