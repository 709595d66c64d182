"""Horse-race evaluation through the API."""

from ninja import Router

router = Router(tags=["赛马评比"])
