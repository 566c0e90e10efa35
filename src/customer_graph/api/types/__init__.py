"""GraphQL object types, split by area as the read model is."""
