"""HTTP: the Starlette app that serves /graphql, health, and (later) the SPA."""
