"""The GraphQL layer: types, queries and loaders; thin over domain/."""
