"""One settings object, read from the environment (``CUSTOMER_GRAPH_*``)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from customer_graph.domain.login_throttle import ThrottlePolicy

SECRET_FILE = "customer_graph.secret"


class MissingSecretKey(RuntimeError):
    pass


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_GRAPH_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///customer_graph.db"
    secret_key: str | None = None

    host: str = "127.0.0.1"
    port: int = 8000

    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)

    max_query_depth: int = Field(default=12, ge=1)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=5000, ge=1)
    max_expanded_fields: int = Field(default=2000, ge=1)
    """The most fields a document may select once each fragment spread is replaced by its
    fragment: in 19 fragments that each spread the next one twice, the last one's fields
    are selected 2^18 times."""
    max_query_cost: int = Field(default=100_000, ge=1)
    """The most nodes one request may ask for: page sizes multiplied along each path."""
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)
    """The largest request body any route but the CSV import reads (it has its own cap)."""
    max_text_length: int = Field(default=10_000, ge=1)
    """The longest text any argument or input field may hold; fields whose rules are
    narrower (a name, a tag) say so in their own userErrors."""
    max_search_length: int = Field(default=200, ge=1)
    """The longest ``search`` text of a customer list."""
    max_list_length: int = Field(default=1000, ge=1)
    """The most items any list argument or input field may hold."""
    max_node_ids: int = Field(default=100, ge=1)
    """The most ids one ``nodes(ids:)`` may look up."""

    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    cookie_secure: bool = False
    """Send the session cookie over HTTPS only; turn on behind TLS."""
    login_free_attempts: int = Field(default=3, ge=1)
    login_refuse_after: int = Field(default=8, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_base_delay_seconds: float = Field(default=0.25, ge=0)

    browser_trusted_documents_only: bool | None = None
    """Refuse documents outside the app's build from browser sessions (tokens may send any).

    Unset, it follows the database: on in production (PostgreSQL), off on the embedded
    database, where developers use GraphiQL with their session."""
    trusted_documents_path: Path | None = None
    """The manifest of trusted documents (hash → text); the app's build ships one by default."""

    demo_customers: int = Field(default=200, ge=0)
    """How many customers ``serve`` seeds into an empty embedded database."""

    sql_echo: bool = False
    access_log: bool = True
    """A line per HTTP request from ``serve``; a twentieth of a small read's time, so a
    deployment whose proxy logs requests already may turn it off."""
    database_pool_size: int = Field(default=20, ge=1)
    """PostgreSQL connections each server process keeps open; at least the requests it
    serves at once. Up to as many again are opened when needed and closed after use; a
    request beyond those waits for a free connection."""

    compiled_reads: bool = True
    """Answer read operations the compiler covers with one SQL statement per root field
    (PostgreSQL); off, every operation runs through the resolvers."""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sessions_need_trusted_documents(self) -> bool:
        if self.browser_trusted_documents_only is None:
            return not self.is_sqlite
        return self.browser_trusted_documents_only

    @property
    def throttle_policy(self) -> ThrottlePolicy:
        return ThrottlePolicy(
            window=timedelta(seconds=self.login_window_seconds),
            free_attempts=self.login_free_attempts,
            refuse_after=self.login_refuse_after,
            base_delay=self.login_base_delay_seconds,
        )

    def session_secret(self) -> str:
        """The key that signs session cookies.

        Production (PostgreSQL) must set CUSTOMER_GRAPH_SECRET_KEY; the embedded database
        keeps a generated key in a file beside it so sessions survive restarts.
        """
        if self.secret_key:
            return self.secret_key
        if not self.is_sqlite:
            raise MissingSecretKey(
                "CUSTOMER_GRAPH_SECRET_KEY is not set: a production database needs a secret key."
            )
        path = Path(SECRET_FILE)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    @property
    def sync_database_url(self) -> str:
        """The same database through a synchronous driver, for Alembic."""
        return self.database_url.replace("+aiosqlite", "+pysqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
