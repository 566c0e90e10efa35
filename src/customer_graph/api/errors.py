"""Errors a client caused, reported in the response's ``errors`` with a stable code."""

from __future__ import annotations

from graphql import GraphQLError


class BadUserInput(GraphQLError):
    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})
