"""Strawberry's ASGI view with our per-request context, trusted documents and a fast encoder."""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLFormattedError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ErrorMessage,
    SubscribeMessage,
)

from customer_graph.api.compiled import compiled_reads_on
from customer_graph.api.compiled.prepared import PreparedOperations
from customer_graph.api.context import Context
from customer_graph.api.prepared_writes import PreparedWrites
from customer_graph.api.schema import schema
from customer_graph.api.strawberry_internals import RequestProtocol
from customer_graph.db.change_feed import Broker
from customer_graph.db.read_pool import ReadPool
from customer_graph.settings import Settings
from customer_graph.web import spa
from customer_graph.web.auth import Authentication
from customer_graph.web.graphql_http import (
    GRAPHQL_RESPONSE,
    JSON,
    error_body,
    is_request_error,
    request_error_status,
    request_error_status_in,
    response_media_type,
    server_error_status,
)
from customer_graph.web.live_sockets import LiveSockets
from customer_graph.web.trusted_documents import TrustedDocumentError, TrustedDocuments


def _default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"


class TrustedDocumentsWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws whose ``subscribe`` messages may name a trusted document by hash.

    Each socket is known to the view's ``LiveSockets`` under its credential, which caps
    the subscriptions of that credential and closes the socket once the credential ends.
    """

    view: GraphQLView

    @property
    def credential_auth(self) -> Authentication:
        auth: Authentication = self.context.request.auth
        return auth

    @property
    def live_operations(self) -> int:
        return len(self.operations)

    async def end(self, code: int, reason: str) -> None:
        """Stop every operation and close the socket."""
        for operation_id in list(self.operations):
            await self.cleanup_operation(operation_id)
        with contextlib.suppress(Exception):
            await self.websocket.close(code=code, reason=reason)

    async def handle(self) -> None:
        credential = self.credential_auth.credential
        self.view.live_sockets.add(credential, self)
        try:
            await super().handle()
        finally:
            self.view.live_sockets.discard(credential, self)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload = message.get("payload")
        if self.connection_acknowledged and isinstance(payload, dict):
            query = payload.get("query")
            try:
                resolved = self.view.resolve_document(
                    self.context.request,
                    query if isinstance(query, str) else None,
                    payload.get("extensions"),
                )
            except TrustedDocumentError as error:
                await self.send_message(
                    ErrorMessage(id=message["id"], type="error", payload=[error.as_graphql_error()])
                )
                return
            if resolved is not None:
                payload["query"] = resolved
            if message["id"] not in self.operations and not self.view.live_sockets.may_subscribe(
                self.credential_auth.credential
            ):
                await self._refuse_subscription(message["id"])
                return
        await super().handle_subscribe(message)

    async def _refuse_subscription(self, operation_id: str) -> None:
        limit = self.view.live_sockets.max_subscriptions
        error: GraphQLFormattedError = {
            "message": f"This sign-in has {limit} live subscriptions already (over all its "
            "connections to this server): complete one before starting another.",
            "extensions": {"code": TOO_MANY_SUBSCRIPTIONS},
        }
        await self.send_message(ErrorMessage(id=operation_id, type="error", payload=[error]))


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TrustedDocumentsWSHandler

    def __init__(
        self, engine: AsyncEngine, settings: Settings, broker: Broker, live_sockets: LiveSockets
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            keep_alive=True,
            keep_alive_interval=15,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=None,
        )
        self.engine = engine
        self.settings = settings
        self.broker = broker
        self.live_sockets = live_sockets
        self.trusted_documents = TrustedDocuments.load(settings)
        self.prepared = (
            PreparedOperations(
                schema.core,
                schema.documents,
                engine,
                settings,
                ReadPool(
                    engine.url.render_as_string(hide_password=False),
                    settings.database_pool_size,
                    echo=settings.sql_echo,
                ),
            )
            if compiled_reads_on(settings, engine) and engine.dialect.driver == "psycopg"
            else None
        )
        self.prepared_writes = (
            PreparedWrites(
                schema.core, schema.documents, engine, settings, broker, schema.process_errors
            )
            if self.prepared is not None
            else None
        )

    async def close(self) -> None:
        """Close the prepared reads' connections."""
        if self.prepared is not None:
            await self.prepared.pool.close()

    def resolve_document(
        self, connection: Request | WebSocket, query: str | None, extensions: object
    ) -> str | None:
        """The text to run: a trusted document's for its hash; refused per the settings."""
        auth: Authentication = connection.auth
        return self.trusted_documents.resolve(
            query,
            extensions,
            held_to_trusted=auth.via_session and self.settings.sessions_need_trusted_documents,
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL, built from its npm packages with the app (frontend/graphiql.html): it
        loads nothing from other sites, and runs under the app's Content-Security-Policy."""
        return spa.page("graphiql.html", request)

    def decode_json(self, data: str | bytes) -> object:
        """orjson: a fifth of the json module's time on a large body; invalid UTF-8 and
        nesting past 1,024 levels are JSON errors (400)."""
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict | list):
            raise HTTPException(
                400, 'Send a JSON object, such as {"query": "{ viewer { name } }"}.'
            )
        return parsed

    def should_render_graphql_ide(self, request: RequestProtocol) -> bool:
        """A GET that names a trusted document by hash is an operation, not the IDE."""
        persisted = request.query_params.get("extensions") is not None
        return not persisted and super().should_render_graphql_ide(request)

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        for data in request_data if isinstance(request_data, list) else [request_data]:
            data.query = self.resolve_document(request, data.query, data.extensions)
        try:
            return await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
        finally:
            # graphql-core's executor holds itself in a cycle (its resolver helpers are its
            # bound methods) and, through the context, every row the loaders read: freed
            # only by a collection of the oldest generation, which then frees a request's
            # worth of rows at once. Dropping them here frees them as the request ends.
            context.forget_loaded()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        auth: Authentication = request.auth
        return Context(
            engine=self.engine,
            settings=self.settings,
            actor=auth.actor,
            csrf_verified=auth.csrf_verified,
            broker=self.broker,
            request=request,
            response=response,
            json_passthrough=isinstance(request, Request),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        await self.handle_http(scope, receive, send)

    async def handle_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Negotiate the media type, and answer malformed requests in it, not as text."""
        request = Request(scope=scope, receive=receive)
        accept = request.headers.get("accept")
        media = response_media_type(accept)
        wants_page = request.method == "GET" and "text/html" in (accept or "")
        response: Response
        if media is None and not wants_page:
            message = f"Accept {GRAPHQL_RESPONSE} or {JSON}."
            response = self._json(error_body(message, 406), 406, JSON)
        else:
            try:
                response = await self.answered_early(request, media or JSON) or await self.run(
                    request
                )
            except TrustedDocumentError as error:
                body = {"errors": [error.as_graphql_error()]}
                response = self._json(body, error.status, media or JSON)
            except HTTPException as error:
                status = request_error_status(error.reason)
                response = self._json(error_body(error.reason, status), status, media or JSON)
                if status == 405:
                    response.headers["Allow"] = "POST"
        await response(scope, receive, send)

    async def answered_early(self, request: Request, media: str) -> Response | None:
        """The answer to a POSTed operation without Strawberry's request handling, or None.

        A document its text alone refuses costs its JSON and a lookup by its text, less
        than the cheapest query: a repeated abusive document gets no further. A read the
        prepared path covers (``api/compiled/prepared.py``) is answered from its plan, and so
        is a create or update the prepared writes cover (``api/prepared_writes.py``).
        """
        if request.method != "POST" or JSON not in request.headers.get("content-type", ""):
            return None
        try:
            data = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return None
        if not isinstance(data, dict):
            return None
        query, extensions = data.get("query"), data.get("extensions")
        if not isinstance(query, str | None) or not isinstance(extensions, dict | None):
            return None
        text = self.resolve_document(request, query, extensions)
        errors = schema.documents.refusal(text)
        if errors is not None:
            schema.process_errors(list(errors))
            body = {"errors": [error.formatted for error in errors]}
            return self._json(body, request_error_status_in(media), media)
        operation_name, variables = data.get("operationName"), data.get("variables")
        if (
            self.prepared is None
            or text is None
            or not isinstance(operation_name, str | None)
            or not isinstance(variables, dict | None)
        ):
            return None
        auth: Authentication = request.auth
        today = date.today()
        answer = await self.prepared.answer(
            text, operation_name, variables or {}, auth.actor, today
        )
        if answer is None and self.prepared_writes is not None:
            answer = await self.prepared_writes.answer(
                text,
                operation_name,
                variables or {},
                auth.actor,
                today,
                csrf_verified=auth.csrf_verified,
            )
        return None if answer is None else Response(answer, media_type=media)

    def _json(self, body: object, status: int, media: str) -> Response:
        content = orjson.dumps(body, default=_default)
        return Response(content, status_code=status, media_type=media)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.graphql_media = (  # type: ignore[attr-defined]
            response_media_type(request.headers.get("accept")) or JSON
        )
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        media: str = getattr(sub_response, "graphql_media", JSON)
        status = sub_response.status_code or 200
        if isinstance(response_data, dict) and is_request_error(response_data):
            response_data = {k: v for k, v in response_data.items() if k != "data"}  # type: ignore[assignment]
            if media == GRAPHQL_RESPONSE:
                status = server_error_status(response_data) or 400
        response = self._json(response_data, status, media)
        response.headers.raw.extend(
            (name, value) for name, value in sub_response.headers.raw if name != b"content-type"
        )
        if sub_response.background:
            response.background = sub_response.background
        return response

    def encode_json(self, data: object) -> str:
        """orjson, as text: WebSocket clients of graphql-ws expect text frames."""
        return orjson.dumps(data, default=_default).decode()
