"""Import endpoints beyond the ledger's, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/imports/templates/{kind}"),
    ("get", "/api/v1/progress/cycles/{cycle_id}/reports.xlsx"),
}
