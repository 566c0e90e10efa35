"""Errors a client caused, reported in the response's ``errors`` with a stable code."""

from __future__ import annotations

from collections.abc import Collection

from graphql import GraphQLError, Node


class BadUserInput(GraphQLError):
    def __init__(self, message: str, nodes: Node | Collection[Node] | None = None) -> None:
        super().__init__(message, nodes, extensions={"code": "BAD_USER_INPUT"})
