"""Business rules: plain Python and SQL expressions over the tables; nothing of GraphQL."""
