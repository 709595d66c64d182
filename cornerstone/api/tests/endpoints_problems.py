"""The API endpoints of problems, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/problems"),
    ("get", "/api/v1/problems/{problem_id}"),
    ("post", "/api/v1/projects/{project_id}/problems"),
    ("post", "/api/v1/problems/{problem_id}/transition"),
    ("get", "/api/v1/departments/{department_id}/tasks"),
    ("get", "/api/v1/orders"),
    ("post", "/api/v1/orders"),
    ("get", "/api/v1/orders/{order_id}"),
    ("post", "/api/v1/orders/{order_id}/respond"),
    ("post", "/api/v1/orders/{order_id}/close"),
}
