"""API of problems: see cornerstone/problems/."""

from ninja import Router

router = Router(tags=["问题与督办"])
