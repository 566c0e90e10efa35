"""Security headers on every HTTP response.

The app's own pages run no inline script and load nothing from other sites, so the
Content-Security-Policy allows scripts from this origin only. Styles may be inline: the
UI library writes its theme into a ``<style>`` element at run time. No site may frame
the app. A route that serves a page of another shape (GraphiQL) sets its own policy,
which this middleware keeps: ``page_policy`` makes one that allows exactly that page's
scripts.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": APP_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Adds ``HEADERS`` to every HTTP response, keeping any a route set itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)


class _PageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.inline_scripts: list[str] = []
        self._inline: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            source = attributes.get("src")
            if source:
                self.scripts.append(source)
            else:
                self._inline = []
        elif tag == "link" and attributes.get("rel") == "stylesheet" and attributes.get("href"):
            self.styles.append(attributes["href"] or "")

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline is not None:
            self.inline_scripts.append("".join(self._inline))
            self._inline = None


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def page_policy(html: str) -> str:
    """A policy for one static page: its inline scripts by hash, its script and style
    files by their exact address, requests to this origin only, and no framing."""
    page = _PageSources()
    page.feed(html)
    page.close()
    scripts = " ".join([*map(script_hash, page.inline_scripts), *page.scripts]) or "'none'"
    styles = " ".join(["'unsafe-inline'", *page.styles])
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )
