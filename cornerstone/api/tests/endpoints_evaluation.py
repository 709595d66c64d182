"""The horse-race evaluation's API endpoints, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = set()
