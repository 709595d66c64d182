"""The horse-race evaluation's API endpoints, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/evaluation/rounds"),
    ("get", "/api/v1/evaluation/rounds/{round_id}"),
    ("post", "/api/v1/evaluation/rounds/{round_id}/transition"),
    ("get", "/api/v1/evaluation/rounds/{round_id}/sheets"),
    ("post", "/api/v1/evaluation/rounds/{round_id}/sheets/{unit_id}"),
    ("get", "/api/v1/evaluation/rounds/{round_id}/results"),
    ("get", "/api/v1/evaluation/rounds/{round_id}/results.xlsx"),
}
