"""The floor of this stack: one hand-written SQL statement per operation, PostgreSQL builds
the JSON, a bare Starlette route passes it through. Nothing to parse, validate or check.

    DATABASE_URL=postgresql://... uvicorn bench.floor_app:app --port 8002

``POST /op/<name>`` takes the statement's parameters as a JSON object; ``GET /export``
streams every customer as JSON Lines (the fields of ``customer-graph export``) from a
server-side cursor.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

import orjson
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from customer_graph.domain.exports import CONTACT_FIELDS, CUSTOMER_FIELDS, SITE_FIELDS


def _object(alias: str, fields: dict[str, str]) -> str:
    return "json_build_object(" + ", ".join(f"'{k}', {alias}.{v}" for k, v in fields.items()) + ")"


def _agg(item: str, rows: str, order: str) -> str:
    return f"(SELECT coalesce(json_agg({item} ORDER BY {order}), '[]') FROM ({rows}) x)"


NESTED_CUSTOMER = f"""json_build_object(
  'id', c.id, 'customerNumber', c.customer_number, 'name', c.name, 'status', c.status,
  'email', c.email, 'phone', c.phone,
  'contacts', {_agg(
      _object("x", {"id": "id", "name": "name", "title": "title", "email": "email",
                    "phone": "phone", "isPrimary": "is_primary"}),
      "SELECT * FROM contacts WHERE customer_id = c.id "
      "ORDER BY is_primary DESC, name, id LIMIT 20",
      "x.is_primary DESC, x.name, x.id")},
  'sites', (SELECT coalesce(json_agg(json_build_object(
      'id', s.id, 'name', s.name, 'status', s.status, 'city', s.city,
      'assets', {_agg(
          _object("x", {"id": "id", "name": "name", "serialNumber": "serial_number",
                        "status": "status"}),
          "SELECT * FROM assets WHERE site_id = s.id ORDER BY name, id LIMIT 20",
          "x.name, x.id")}
    ) ORDER BY s.name, s.id), '[]')
    FROM (SELECT * FROM sites WHERE customer_id = c.id ORDER BY name, id LIMIT 20) s),
  'projects', {_agg(
      _object("x", {"id": "id", "name": "name", "status": "status",
                    "startDate": "start_date", "endDate": "end_date"}),
      "SELECT * FROM projects WHERE customer_id = c.id "
      "ORDER BY start_date DESC, id DESC LIMIT 20",
      "x.start_date DESC, x.id DESC")}
)"""  # fmt: skip

AFTER = "(%(after_name)s::text IS NULL OR (c.name, c.id) > (%(after_name)s, %(after_id)s))"

# fmt: off
STATEMENTS: dict[str, str] = {
    "detail": f"""
SELECT json_build_object('customer', {NESTED_CUSTOMER})::text FROM customers c WHERE c.id = %(id)s
""",
    "partner": f"""
SELECT json_build_object('customers', coalesce(json_agg({NESTED_CUSTOMER} ORDER BY c.name, c.id),
                                               '[]'))::text
FROM (SELECT * FROM customers c WHERE c.archived_at IS NULL AND {AFTER}
      ORDER BY c.name, c.id LIMIT 100) c
""",
    "list": f"""
SELECT json_build_object(
  'totalCount', (SELECT count(*) FROM customers WHERE archived_at IS NULL),
  'customers', (SELECT coalesce(json_agg(json_build_object(
      'id', c.id, 'kind', c.kind, 'segment', c.segment, 'name', c.name,
      'customerNumber', c.customer_number, 'contactTitle', c.contact_title, 'email', c.email,
      'status', c.status, 'isArchived', c.archived_at IS NOT NULL, 'street1', c.street1,
      'city', c.city, 'region', c.region, 'postalCode', c.postal_code,
      'owner', json_build_object('id', o.id, 'name', o.name),
      'manager', json_build_object('id', m.id, 'name', m.name),
      'tags', (SELECT coalesce(json_agg(t.tag ORDER BY t.tag), '[]')
               FROM customer_tags t WHERE t.customer_id = c.id),
      'assetSummary', json_build_object(
        'onLocation', (SELECT count(*) FROM assets a JOIN sites s ON s.id = a.site_id
                       WHERE s.customer_id = c.id),
        'owned', (SELECT count(*) FROM assets a WHERE a.owner_customer_id = c.id)),
      'sites', json_build_object(
        'totalCount', (SELECT count(*) FROM sites WHERE customer_id = c.id),
        'nodes', {_agg(_object("x", {"id": "id", "name": "name"}),
                       "SELECT id, name FROM sites WHERE customer_id = c.id "
                       "ORDER BY name, id LIMIT 3", "x.name, x.id")})
    ) ORDER BY c.name, c.id), '[]')
    FROM (SELECT * FROM customers c WHERE c.archived_at IS NULL AND {AFTER}
          ORDER BY c.name, c.id LIMIT 50) c
    JOIN users o ON o.id = c.owner_id JOIN users m ON m.id = c.manager_id),
  'users', {_agg(_object("x", {"id": "id", "name": "name"}),
                 "SELECT id, name FROM users WHERE is_active ORDER BY name, id LIMIT 100",
                 "x.name, x.id")}
)::text
""",
    "create_customer": """
WITH created AS (
  INSERT INTO customers (customer_number, name, kind, segment, status, payment_terms, currency,
                         created_on, owner_id, manager_id, version, created_at, updated_at)
  VALUES (%(number)s, %(name)s, 'COMPANY', 'SMB', 'ACTIVE', 'NET_30', 'USD', current_date,
          1, 1, 1, now(), now())
  RETURNING *
), logged AS (
  INSERT INTO history_events (occurred_at, customer_id, entity_type, entity_id, action,
                              actor_name, changes)
  SELECT now(), id, 'Customer', id, 'CREATED', 'floor',
         jsonb_build_array(jsonb_build_object('field', 'name', 'before', null, 'after', name))
  FROM created
)
SELECT json_build_object('id', id, 'customerNumber', customer_number, 'name', name,
                         'version', version)::text FROM created
""",
    "update_customer": """
WITH before AS (SELECT id, name FROM customers WHERE id = %(id)s),
updated AS (
  UPDATE customers SET name = %(name)s, version = version + 1, updated_at = now()
  WHERE id = %(id)s RETURNING *
), logged AS (
  INSERT INTO history_events (occurred_at, customer_id, entity_type, entity_id, action,
                              actor_name, changes)
  SELECT now(), u.id, 'Customer', u.id, 'UPDATED', 'floor',
         jsonb_build_array(jsonb_build_object('field', 'name', 'before', b.name,
                                              'after', u.name))
  FROM updated u JOIN before b ON b.id = u.id
)
SELECT json_build_object('id', id, 'name', name, 'version', version)::text FROM updated
""",
    "create_site": """
INSERT INTO sites (customer_id, name, status, created_at)
VALUES (%(customer_id)s, %(name)s, 'ACTIVE', now())
RETURNING json_build_object('id', id, 'name', name, 'status', status)::text
""",
}
# fmt: on

EXPORT = f"""
SELECT json_build_object(
  {", ".join(f"'{name}', c.{name}" for name in CUSTOMER_FIELDS)},
  'owner_email', NULL, 'manager_email', NULL,
  'tags', (SELECT coalesce(json_agg(t.tag ORDER BY t.tag), '[]')
           FROM customer_tags t WHERE t.customer_id = c.id),
  'contacts', (SELECT coalesce(json_agg(json_build_object(
                 {", ".join(f"'{name}', x.{name}" for name in CONTACT_FIELDS)})
               ORDER BY x.is_primary DESC, x.name, x.id), '[]')
               FROM contacts x WHERE x.customer_id = c.id),
  'sites', (SELECT coalesce(json_agg(json_build_object(
              {", ".join(f"'{name}', x.{name}" for name in SITE_FIELDS)})
            ORDER BY x.name, x.id), '[]')
            FROM sites x WHERE x.customer_id = c.id)
)::text
FROM customers c
WHERE c.archived_at IS NULL ORDER BY c.id
"""


def _conninfo() -> str:
    url = os.environ["DATABASE_URL"]
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _pool(request: Request) -> AsyncConnectionPool[Any]:
    pool: AsyncConnectionPool[Any] = request.app.state.pool
    return pool


async def run_op(request: Request) -> Response:
    statement = STATEMENTS[request.path_params["name"]]
    parameters: dict[str, Any] = orjson.loads(await request.body() or b"{}")
    async with _pool(request).connection() as conn:
        row = await (await conn.execute(statement, parameters, prepare=True)).fetchone()
    if row is None:
        return Response(b'{"data":null}', media_type="application/json")
    return Response(b'{"data":' + row[0].encode() + b"}", media_type="application/json")


async def export(request: Request) -> StreamingResponse:
    async def lines() -> AsyncIterator[bytes]:
        conn: AsyncConnection[Any]
        async with _pool(request).connection() as conn, conn.cursor(name="export") as cursor:
            cursor.itersize = 1000
            await cursor.execute(EXPORT)
            async for (line,) in cursor:
                yield line.encode() + b"\n"

    return StreamingResponse(lines(), media_type="application/x-ndjson")


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    async with AsyncConnectionPool(_conninfo(), min_size=4, max_size=16) as pool:
        app.state.pool = pool
        yield


app = Starlette(
    routes=[Route("/op/{name}", run_op, methods=["POST"]), Route("/export", export)],
    lifespan=lifespan,
)
