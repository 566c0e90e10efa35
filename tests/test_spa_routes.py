"""The app's files: assets as they are, index.html for every client route, API untouched."""

from __future__ import annotations

from pathlib import Path

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
