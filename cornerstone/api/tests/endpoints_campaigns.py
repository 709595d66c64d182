"""The API endpoints of the campaigns, checked against the OpenAPI schema by test_docs."""

ENDPOINTS: set[tuple[str, str]] = {
    ("get", "/api/v1/campaigns"),
    ("post", "/api/v1/campaigns"),
    ("get", "/api/v1/campaigns/{campaign_id}"),
    ("patch", "/api/v1/campaigns/{campaign_id}"),
    ("post", "/api/v1/campaigns/{campaign_id}/venues"),
    ("delete", "/api/v1/campaigns/{campaign_id}/venues/{venue_id}"),
    ("post", "/api/v1/campaigns/{campaign_id}/projects"),
    ("delete", "/api/v1/campaigns/{campaign_id}/projects/{project_id}"),
    ("post", "/api/v1/campaigns/{campaign_id}/confirm"),
    ("get", "/api/v1/campaigns/{campaign_id}/results"),
    ("get", "/api/v1/campaigns/{campaign_id}/projects.xlsx"),
    ("get", "/api/v1/campaigns/{campaign_id}/results.xlsx"),
}
