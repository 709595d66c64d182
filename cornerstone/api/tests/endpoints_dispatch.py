"""The API endpoints of dispatch, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = set()
