"""The API endpoints of alerts, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = set()
