"""The compiled read path: a read operation the read model covers becomes one SQL statement
(a column per root field), and PostgreSQL builds the JSON of the answer.

It joins execution in one place, ``executor.CompiledReadsExecutor`` (the schema's
execution context class, ``api/schema.py``): a query it covers is answered there, anything
else goes on to graphql-core and the resolvers, whole. ``prepared`` answers a read the
server has seen before from the same plans, before Strawberry (called by the HTTP view).
``compiler`` turns the selection into SQL over the read model (``api/readmodel.py``, the
mapping the resolvers read too), with ``selection`` (the walk), ``sql`` (values as
Strawberry writes them) and ``connections`` (keyset pages and cursors); ``driver_sql``
renders a plan's statement once, and ``export`` writes the JSON Lines export the same
way. It shares the page and argument rules with the resolvers through the modules below
both (``api/pagination.py``, ``api/read_rules.py``), and imports none of the resolvers'
own (an import-linter contract).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from customer_graph.settings import Settings


def compiled_reads_on(settings: Settings, engine: AsyncEngine) -> bool:
    """Whether reads (and the JSON Lines export) go through the compiled path: it writes
    PostgreSQL's SQL, and ``CUSTOMER_GRAPH_COMPILED_READS=false`` turns it off."""
    return settings.compiled_reads and engine.dialect.name == "postgresql"
