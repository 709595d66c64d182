"""The API endpoints of the statistics, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/stats/overview"),
    ("get", "/api/v1/stats/breakdown"),
    ("get", "/api/v1/stats/projects"),
    ("put", "/api/v1/stats/start-targets/{region}/{year}"),
}
