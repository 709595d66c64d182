"""The API endpoints of progress, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = set()
