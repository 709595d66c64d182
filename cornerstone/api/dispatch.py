"""API of dispatch: see cornerstone/dispatch/."""

from ninja import Router

router = Router(tags=["调度与通报"])
