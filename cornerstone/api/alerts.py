"""API of alerts: see cornerstone/alerts/."""

from ninja import Router

router = Router(tags=["预警"])
