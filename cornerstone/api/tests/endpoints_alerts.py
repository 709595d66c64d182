"""The API endpoints of alerts, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/lights"),
    ("post", "/api/v1/lights/recompute"),
    ("get", "/api/v1/projects/{project_id}/lights"),
    ("get", "/api/v1/region-lights"),
    ("get", "/api/v1/rule-sets"),
    ("post", "/api/v1/rule-sets"),
    ("get", "/api/v1/rule-sets/{rule_set_id}"),
    ("put", "/api/v1/rule-sets/{rule_set_id}"),
    ("get", "/api/v1/rule-parameters"),
    ("get", "/api/v1/justifications"),
    ("post", "/api/v1/projects/{project_id}/justifications"),
    ("post", "/api/v1/justifications/{justification_id}/decision"),
}
