"""The app's files: assets as they are, index.html for every client route, API untouched."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.web import spa
from tests.web_client import app_client


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<div id=root></div>")
    (tmp_path / "assets" / "app.js").write_text("console.log('hi')")
    monkeypatch.setattr(spa, "STATIC", tmp_path)
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/customers", "/customers/Q3VzdG9tZXI6MQ==", "/login"])
async def test_client_routes_get_the_app(engine: AsyncEngine, built: Path, path: str) -> None:
    async with app_client(engine) as client:
        response = await client.get(path)
    assert response.status_code == 200
    assert response.text == "<div id=root></div>"
    assert response.headers["cache-control"] == "no-cache"


async def test_assets_are_served_and_api_routes_are_not_the_app(
    engine: AsyncEngine, built: Path
) -> None:
    async with app_client(engine) as client:
        asset = await client.get("/assets/app.js")
        assert asset.status_code == 200
        assert asset.text == "console.log('hi')"
        assert (await client.get("/assets/missing.js")).status_code == 404
        assert (await client.get("/healthz")).json()["status"] == "ok"
        assert (await client.get("/auth/me")).status_code == 401


async def test_without_a_build_a_page_says_how_to_build(
    engine: AsyncEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spa, "STATIC", tmp_path / "nothing")
    async with app_client(engine) as client:
        response = await client.get("/customers")
    assert response.status_code == 503
    assert "make run" in response.text


@pytest.fixture
def compressed(built: Path) -> Path:
    """A build with its brotli and gzip copies (marked, not real: the bytes are compared)."""
    for name in ("index.html", "assets/app.js"):
        (built / f"{name}.br").write_bytes(b"brotli:" + name.encode())
        (built / f"{name}.gz").write_bytes(b"gzip:" + name.encode())
    return built


@dataclass
class Sent:
    status_code: int
    headers: httpx.Headers
    content: bytes


async def raw_get(client: httpx.AsyncClient, path: str, accept_encoding: str) -> Sent:
    """The response with its body as sent, not decoded."""
    async with client.stream("GET", path, headers={"Accept-Encoding": accept_encoding}) as sent:
        body = b"".join([chunk async for chunk in sent.aiter_raw()])
    return Sent(sent.status_code, sent.headers, body)


@pytest.mark.parametrize(
    ("accept_encoding", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=1.0, gzip;q=0.8", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("*", "br"),
        ("*, br;q=0", "gzip"),
        ("identity", None),
        ("", None),
    ],
)
async def test_the_precompressed_copy_the_browser_takes(
    engine: AsyncEngine, compressed: Path, accept_encoding: str, coding: str | None
) -> None:
    async with app_client(engine) as client:
        for path, name in (("/assets/app.js", "assets/app.js"), ("/customers", "index.html")):
            response = await raw_get(client, path, accept_encoding)
            assert response.status_code == 200
            assert response.headers.get("content-encoding") == coding
            assert response.headers["vary"] == "Accept-Encoding"
            expected = compressed / (
                f"{name}.{'br' if coding == 'br' else 'gz'}" if coding else name
            )
            assert response.content == expected.read_bytes()
            assert int(response.headers["content-length"]) == len(response.content)
    assert response.headers["content-type"].startswith("text/html")


async def test_hashed_assets_are_kept_a_year_and_pages_are_revalidated(
    engine: AsyncEngine, compressed: Path
) -> None:
    async with app_client(engine) as client:
        asset = await raw_get(client, "/assets/app.js", "br")
        page = await raw_get(client, "/", "br")
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert asset.headers["content-type"].startswith("text/javascript")
    assert page.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path", ["/assets/app.js.br", "/assets/app.js.gz", "/assets/%2e%2e/index.html", "/assets/"]
)
async def test_only_the_builds_assets_are_files(
    engine: AsyncEngine, compressed: Path, path: str
) -> None:
    async with app_client(engine) as client:
        response = await client.get(path)
    assert response.status_code == 404
