"""The single-page app: its built files, and index.html for every client-side route."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"

NOT_BUILT = """<!doctype html><html lang="en"><meta charset="utf-8">
<title>customer_graph</title><body style="font-family: sans-serif; margin: 3rem">
<h1>customer_graph</h1><p>The app has not been built. Run <code>make run</code>, which builds
it, or <code>npm --prefix frontend run build</code>.</p>
<p>The API answers at <a href="/graphql">/graphql</a>.</p></body></html>"""


async def index(request: Request) -> Response:
    """Client routes such as /customers/123 survive a reload: they all get index.html."""
    page = STATIC / "index.html"
    if not page.exists():
        return HTMLResponse(NOT_BUILT, status_code=503)
    return FileResponse(page, headers={"Cache-Control": "no-cache"})


def routes() -> list[BaseRoute]:
    return [
        Mount("/assets", app=StaticFiles(directory=STATIC / "assets", check_dir=False)),
        Route("/", index),
        Route("/{path:path}", index),
    ]
