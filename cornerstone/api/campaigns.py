"""Campaigns (三个一批, 集中开工) through the API."""

from ninja import Router

router = Router(tags=["集中活动"])
