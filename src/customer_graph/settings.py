"""One settings object, read from the environment (``CUSTOMER_GRAPH_*``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CUSTOMER_GRAPH_", env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///customer_graph.db"
    secret_key: str | None = None

    host: str = "127.0.0.1"
    port: int = 8000

    default_page_size: int = Field(default=20, ge=1)
    max_page_size: int = Field(default=100, ge=1)

    demo_customers: int = Field(default=200, ge=0)
    """How many customers ``serve`` seeds into an empty embedded database."""

    sql_echo: bool = False

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sync_database_url(self) -> str:
        """The same database through a synchronous driver, for Alembic."""
        return self.database_url.replace("+aiosqlite", "+pysqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
