"""API of progress: see cornerstone/progress/."""

from ninja import Router

router = Router(tags=["进度填报"])
