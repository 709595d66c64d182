"""The API endpoints of dispatch, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/meetings"),
    ("post", "/api/v1/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("post", "/api/v1/meetings/{meeting_id}/agenda"),
    ("post", "/api/v1/meetings/{meeting_id}/decisions"),
    ("get", "/api/v1/briefings"),
    ("post", "/api/v1/briefings"),
    ("get", "/api/v1/briefings/{briefing_id}"),
    ("get", "/api/v1/briefings/{briefing_id}/docx"),
    ("get", "/api/v1/briefings/{briefing_id}/pdf"),
}
