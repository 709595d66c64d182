"""Account pages: the user's own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cornerstone.accounts.models import ApiToken
from cornerstone.accounts.queries import api_tokens_of
from cornerstone.accounts.services import api_token_create, api_token_revoke


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
