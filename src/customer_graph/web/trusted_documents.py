"""Trusted documents: the app's operations, registered at build time and sent by hash.

The SPA's build (graphql-codegen's client preset, ``persistedDocuments``) writes a manifest
``{"sha256:<hex>": "<document text>"}`` that ships beside the app. The browser sends only
the hash, in the automatic-persisted-queries field that @urql/exchange-persisted fills in,
over HTTP and in graphql-transport-ws ``subscribe`` messages alike::

    {"operationName": "...", "variables": {...},
     "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "<hex>"}}}

A document is trusted when the sha256 of its text is in the manifest, however it was sent.
Browser sessions may be held to trusted documents (``sessions_need_trusted_documents``);
API tokens may always send any document. Nothing is registered at run time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import orjson
from graphql import GraphQLFormattedError

from customer_graph.settings import Settings
from customer_graph.web.spa import STATIC

MANIFEST = "persisted-documents.json"
SHA256_PREFIX = "sha256:"


class TrustedDocumentError(Exception):
    """A request refused before execution: an HTTP status, a GraphQL error code, a message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def as_graphql_error(self) -> GraphQLFormattedError:
        return {"message": self.message, "extensions": {"code": self.code}}


class ManifestError(RuntimeError):
    """The manifest of trusted documents cannot be used; the server does not start."""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _persisted_hash(extensions: object) -> str | None:
    if not isinstance(extensions, Mapping) or extensions.get("persistedQuery") is None:
        return None
    persisted = extensions["persistedQuery"]
    hash_ = persisted.get("sha256Hash") if isinstance(persisted, Mapping) else None
    if not isinstance(hash_, str) or not hash_:
        raise TrustedDocumentError(
            400,
            "BAD_PERSISTED_QUERY",
            "extensions.persistedQuery must be an object with the document's sha256Hash.",
        )
    return hash_.removeprefix(SHA256_PREFIX).lower()


@dataclass(frozen=True)
class TrustedDocuments:
    documents: Mapping[str, str]
    """Document text by the hex sha256 of that text."""

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, object]) -> TrustedDocuments:
        documents: dict[str, str] = {}
        for key, text in manifest.items():
            if not isinstance(text, str):
                raise ManifestError(f"The trusted document {key!r} is not a string.")
            hash_ = key.removeprefix(SHA256_PREFIX).lower()
            if _sha256(text) != hash_:
                raise ManifestError(f"The trusted document {key!r} does not hash to its key.")
            documents[hash_] = text
        return cls(documents)

    @classmethod
    def load(cls, settings: Settings) -> TrustedDocuments:
        """The configured manifest, or the app build's; none when the app is not built."""
        path = settings.trusted_documents_path or STATIC / MANIFEST
        if not path.exists():
            if settings.trusted_documents_path is not None:
                raise ManifestError(f"CUSTOMER_GRAPH_TRUSTED_DOCUMENTS_PATH: {path} is missing.")
            return cls({})
        try:
            manifest = orjson.loads(Path(path).read_bytes())
        except orjson.JSONDecodeError as error:
            raise ManifestError(f"{path} is not JSON: {error}") from error
        if not isinstance(manifest, dict):
            raise ManifestError(f"{path} must map document hashes to document texts.")
        return cls.from_manifest(manifest)

    def is_trusted(self, query: str) -> bool:
        return _sha256(query) in self.documents

    def resolve(
        self, query: str | None, extensions: object, *, held_to_trusted: bool
    ) -> str | None:
        """The document text to execute, from the request's ``query`` and ``extensions``.

        ``held_to_trusted``: refuse documents that are not in the manifest (browser sessions
        when the setting is on). None for a request with neither a hash nor a query:
        Strawberry answers that one.
        """
        hash_ = _persisted_hash(extensions)
        if query:
            if hash_ is not None and _sha256(query) != hash_:
                raise TrustedDocumentError(
                    400,
                    "PERSISTED_QUERY_HASH_MISMATCH",
                    "extensions.persistedQuery.sha256Hash is not the sha256 of the query.",
                )
            if held_to_trusted and not self.is_trusted(query):
                raise TrustedDocumentError(
                    403,
                    "TRUSTED_DOCUMENT_REQUIRED",
                    "Browser sessions may send only the app's trusted documents, by hash "
                    "(extensions.persistedQuery.sha256Hash). Use an API token "
                    "(Authorization: Bearer) for other documents.",
                )
            return query
        if hash_ is None:
            return None
        document = self.documents.get(hash_)
        if document is None:
            raise TrustedDocumentError(
                400,
                "PERSISTED_QUERY_NOT_FOUND",
                f"PersistedQueryNotFound: no trusted document has the hash {hash_!r}. "
                "Reload the app if the server was updated; send other documents as text "
                "with an API token.",
            )
        return document
