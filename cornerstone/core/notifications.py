"""Send in-app notifications, with an email to each recipient that has an address."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction

from cornerstone.core.models import Notification

if TYPE_CHECKING:
    from cornerstone.accounts.models import User


def notification_send(*, users: Iterable[User], title: str, body: str = "", url: str = "") -> int:
    """Write one notification per user; the emails go out once the transaction commits."""
    recipients = list({user.pk: user for user in users}.values())
    Notification.objects.bulk_create(
        [Notification(user=user, title=title, body=body, url=url) for user in recipients]
    )
    messages = [
        (title, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in recipients
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(recipients)
