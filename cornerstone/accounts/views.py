"""Account pages: the user's own API tokens and notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import ApiToken
from cornerstone.accounts.queries import (
    api_tokens_of,
    notifications_of,
    notifications_unread_count,
)
from cornerstone.accounts.services import (
    api_token_create,
    api_token_revoke,
    notifications_mark_read,
)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and create a new one; the new raw value is shown once."""
    raw = None
    error = None
    if request.method == "POST":
        try:
            _token, raw = api_token_create(actor=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            error = " ".join(exc.message_dict.get("name", exc.messages))
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": api_tokens_of(actor=request.user), "raw": raw, "error": error, "nav": "tokens"},
        status=400 if error else 200,
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    try:
        token = api_token_revoke(actor=request.user, token_id=pk)
    except ApiToken.DoesNotExist:
        return HttpResponse(status=404)
    messages.success(request, _("令牌“%s”已吊销。") % token.name)
    return redirect("accounts:tokens")


NOTIFICATIONS_PER_PAGE = 30


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, optionally only the unread ones."""
    unread_only = request.GET.get("unread") == "1"
    rows = notifications_of(actor=request.user, unread_only=unread_only)
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/notifications.html",
        {"page": page, "unread_only": unread_only, "nav": "notifications"},
    )


@login_required
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The navigation bell's unread count, loaded by htmx after the page."""
    count = notifications_unread_count(actor=request.user)
    return render(request, "accounts/_partials/notification_badge.html", {"count": count})


@login_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them read, then go back to the list."""
    raw = request.POST.get("id")
    ids = [int(raw)] if raw and raw.isdigit() else None
    marked = notifications_mark_read(actor=request.user, notification_ids=ids)
    if ids is None:
        messages.success(request, _("已将 %d 条通知标为已读。") % marked)
    return redirect("accounts:notifications")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification read and follow its link (only links inside this site)."""
    notification = get_object_or_404(notifications_of(actor=request.user), pk=pk)
    notifications_mark_read(actor=request.user, notification_ids=[notification.pk])
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("accounts:notifications")
    return redirect(target)
