"""The dev server (npm run dev) proxies every path the backend serves: the table it reads
(frontend/tooling/dev-proxy.json) is checked against the app's routes, so a new backend
route cannot be forgotten there. tests/browser/test_dev_proxy.py runs the dev server."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.routing import BaseRoute, Route, WebSocketRoute

from customer_graph.settings import Settings
from customer_graph.web import spa
from customer_graph.web.app import create_app

TABLE = Path(__file__).resolve().parents[1] / "frontend" / "tooling" / "dev-proxy.json"
CLIENT_ROUTES = ("/customers", "/customers/Q3VzdG9tZXI6MQ==", "/import", "/login", "/")


def proxied_paths() -> list[str]:
    paths: list[str] = json.loads(TABLE.read_text())["paths"]
    return paths


def proxied(path: str) -> bool:
    """Whether the dev server sends ``path`` on (Vite matches a key as a prefix)."""
    return any(path.startswith(prefix) for prefix in proxied_paths())


def backend_paths(routes: list[BaseRoute]) -> set[str]:
    spa_paths = {route.path for route in spa.routes() if isinstance(route, Route)}
    return {
        route.path
        for route in routes
        if isinstance(route, Route | WebSocketRoute) and route.path not in spa_paths
    }


def test_every_backend_route_is_proxied() -> None:
    app = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:"))
    paths = backend_paths(app.routes)
    assert {"/graphql", "/healthz", "/auth/login", "/import/customers.csv"} <= paths
    assert sorted(path for path in paths if not proxied(path)) == []


def test_the_apps_own_pages_stay_with_the_dev_server() -> None:
    assert [path for path in CLIENT_ROUTES if proxied(path)] == []
