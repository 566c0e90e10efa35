"""The single-page app: its built files, and index.html for every client-side route.

The build writes a brotli (``.br``) and a gzip (``.gz``) copy beside each text file; the
browser gets the smallest one its ``Accept-Encoding`` takes, and nothing is compressed per
request. Files under /assets have the hash of their content in their name: a browser keeps
them for a year without asking again. The pages that name them (index.html, GraphiQL's)
are checked on every load, so a new build reaches everyone at once.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

STATIC = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>customer_graph</title><body style="font-family: sans-serif; margin: 3rem">
<h1>customer_graph</h1><p>The app has not been built. Run <code>make run</code>, which builds
it, or <code>npm --prefix frontend run build</code>.</p>
<p>The API answers at <a href="/graphql">/graphql</a>.</p></body></html>"""

# Preferred first: brotli is a fifth smaller than gzip on the app's scripts.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted_encodings(header: str | None) -> set[str]:
    """The content codings an ``Accept-Encoding`` header takes (q > 0), lower case."""
    accepted: set[str] = set()
    refused: set[str] = set()
    for part in (header or "").split(","):
        coding, *parameters = (piece.strip() for piece in part.split(";"))
        if not coding:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        (accepted if quality > 0 else refused).add(coding.lower())
    if "*" in accepted:
        accepted |= {coding for coding, _ in ENCODINGS} - refused
    return accepted


def built_file(path: Path, request: Request, cache_control: str) -> Response:
    """``path`` in the best encoding the request accepts, with ``cache_control``."""
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
        media_type = f"{media_type}; charset=utf-8"
    headers = {"Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    accepted = accepted_encodings(request.headers.get("accept-encoding"))
    for coding, suffix in ENCODINGS:
        encoded = path.with_name(path.name + suffix)
        if coding in accepted and encoded.is_file():
            headers["Content-Encoding"] = coding
            return FileResponse(encoded, media_type=media_type, headers=headers)
    return FileResponse(path, media_type=media_type, headers=headers)


def page(name: str, request: Request) -> Response:
    """A built page (index.html, graphiql.html), revalidated on every load."""
    path = STATIC / name
    if not path.is_file():
        return HTMLResponse(NOT_BUILT, status_code=503)
    return built_file(path, request, REVALIDATE)


async def asset(request: Request) -> Response:
    """A hashed file of the build; a name outside /assets or not built is a plain 404."""
    assets = (STATIC / "assets").resolve()
    path = (assets / request.path_params["path"]).resolve()
    if not path.is_relative_to(assets) or path.suffix in (".br", ".gz") or not path.is_file():
        return PlainTextResponse("Not found.", status_code=404)
    return built_file(path, request, IMMUTABLE)


async def index(request: Request) -> Response:
    """Client routes such as /customers/123 survive a reload: they all get index.html."""
    return page("index.html", request)


def routes() -> list[BaseRoute]:
    return [
        Route("/assets/{path:path}", asset),
        Route("/", index),
        Route("/{path:path}", index),
    ]
