"""The session cookie: the session's random secret, signed with the secret key.

Written here rather than by Starlette's ``SessionMiddleware``, which fixes the cookie's
``Secure`` flag at startup and sends the cookie again with every response: whether a
cookie may travel without TLS is decided per request, and it is sent only on sign-in.
The signature lets a made-up cookie be refused without a database query, and changing
the secret key ends every session.
"""

from __future__ import annotations

import ipaddress

from itsdangerous import BadSignature, Signer
from starlette.requests import HTTPConnection
from starlette.responses import Response

from customer_graph.settings import Settings

SESSION_COOKIE = "customer_graph_session"
PLAIN_HTTP_REFUSED = (
    "Signing in over plain HTTP is allowed only on this machine (localhost): the session "
    "cookie would cross the network readable. Serve over HTTPS (a proxy in front must send "
    "X-Forwarded-Proto), or set CUSTOMER_GRAPH_COOKIE_SECURE=false on a trusted network."
)


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SessionCookie:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._signer = Signer(settings.session_secret(), salt="customer_graph.session")

    def read(self, connection: HTTPConnection) -> str | None:
        """The session secret the request carries; None without a cookie or with a forged one."""
        value = connection.cookies.get(SESSION_COOKIE)
        if not value:
            return None
        try:
            return self._signer.unsign(value).decode()
        except (BadSignature, UnicodeDecodeError):
            return None

    def secure_for(self, connection: HTTPConnection) -> bool | None:
        """Whether the cookie is marked Secure for this request; None: it may not be sent.

        Unset in the settings: Secure whenever the request came over HTTPS (uvicorn reads
        X-Forwarded-Proto from trusted proxies), plain only to a loopback address, and not
        at all over plain HTTP across a network.
        """
        if self.settings.cookie_secure is not None:
            return self.settings.cookie_secure
        if connection.url.scheme in ("https", "wss"):
            return True
        if is_loopback(connection.url.hostname):
            return False
        return None

    def write(self, response: Response, secret: str, *, secure: bool) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self._signer.sign(secret).decode(),
            max_age=self.settings.session_max_age_seconds,
            path="/",
            secure=secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response, connection: HTTPConnection) -> None:
        response.delete_cookie(
            SESSION_COOKIE,
            path="/",
            secure=bool(self.secure_for(connection)),
            httponly=True,
            samesite="lax",
        )
