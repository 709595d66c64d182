"""The API endpoints of progress, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/progress/cycles"),
    ("get", "/api/v1/progress/cycles/{cycle_id}/reports"),
    ("get", "/api/v1/progress/reports/{report_id}"),
    ("put", "/api/v1/progress/reports/{report_id}"),
    ("post", "/api/v1/progress/reports/{report_id}/submit"),
    ("post", "/api/v1/progress/reports/{report_id}/return"),
    ("post", "/api/v1/progress/reports/{report_id}/accept"),
    ("get", "/api/v1/projects/{project_id}/reports"),
}
