"""Every change goes through here: one input, one transaction, a payload with userErrors."""
