"""The API endpoints of the campaigns, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = set()
