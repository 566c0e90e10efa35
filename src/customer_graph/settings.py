"""One settings object, read from the environment (``CUSTOMER_GRAPH_*``)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE = "customer_graph.secret"


MIN_SECRET_KEY_BYTES = 32
MAKE_A_SECRET_KEY = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


class SecretKeyError(RuntimeError):
    """The secret key is missing where one is required, or too short to be safe."""


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
    """A session ends this long after sign-in, however busy."""
    session_idle_seconds: int = Field(default=3600, ge=60)
    """A session ends after this long without a request (measured to the minute)."""
    cookie_secure: bool | None = None
    """Mark the session cookie Secure. Unset: Secure over HTTPS, and sign-in over plain HTTP
    only on a loopback address (localhost); true: always; false: never (a trusted network
    without TLS)."""
    login_free_attempts: int = Field(default=3, ge=1)
    login_refuse_after: int = Field(default=8, ge=1)
    """Failures of one email from one client address before it is refused for the window."""
    login_address_refuse_after: int = Field(default=50, ge=1)
    """Failures from one client address, whatever the emails, before it is refused."""
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    login_base_delay_seconds: float = Field(default=0.25, ge=0)
    password_hash_concurrency: int = Field(default=2, ge=1)
    """Password hashes computed at once by a server process (each takes 64 MiB and a core
    for a fraction of a second, in a worker thread); more sign-ins wait their turn."""

    max_subscriptions_per_credential: int = Field(default=100, ge=1)
    """Live subscriptions one session or token may hold in one server process, over all of
    its WebSockets together."""
    credential_recheck_seconds: float = Field(default=2.0, gt=0)
    """How often a server process checks that the sessions and tokens of its open
    WebSockets are still valid; a socket whose credential ended is closed (code 4401)."""

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
    request beyond those waits for a free connection. Prepared reads have a pool of their
    own of up to this many connections (``db/read_pool.py``)."""

    gc_log: Path | None = None
    """Time every garbage collection of the server process and append them to this file
    (JSON lines, then a summary per process) when the server stops; for measuring pauses."""

    compiled_reads: bool = True
    """Answer read operations the compiler covers with one SQL statement, a column per root
    field (PostgreSQL); off, every operation runs through the resolvers."""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sessions_need_trusted_documents(self) -> bool:
        if self.browser_trusted_documents_only is None:
            return not self.is_sqlite
        return self.browser_trusted_documents_only

    def session_secret(self) -> str:
        """The key that signs session cookies: changing it ends every session.

        Production (PostgreSQL) must set CUSTOMER_GRAPH_SECRET_KEY; the embedded database
        keeps a generated key in a file beside it so sessions survive restarts. A key of
        fewer than 32 bytes is refused.
        """
        if self.secret_key:
            return _long_enough(self.secret_key, "CUSTOMER_GRAPH_SECRET_KEY")
        if not self.is_sqlite:
            raise SecretKeyError(
                "CUSTOMER_GRAPH_SECRET_KEY is not set: a production database needs a secret "
                f"key of at least {MIN_SECRET_KEY_BYTES} random bytes. Make one with: "
                f"{MAKE_A_SECRET_KEY}"
            )
        path = Path(SECRET_FILE)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return _long_enough(path.read_text().strip(), str(path.resolve()))

    @property
    def sync_database_url(self) -> str:
        """The same database through a synchronous driver, for Alembic."""
        return self.database_url.replace("+aiosqlite", "+pysqlite")


def _long_enough(key: str, source: str) -> str:
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        raise SecretKeyError(
            f"The secret key in {source} is too short: it needs at least "
            f"{MIN_SECRET_KEY_BYTES} random bytes. Make one with: {MAKE_A_SECRET_KEY}"
        )
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
