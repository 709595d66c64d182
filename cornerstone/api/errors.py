"""One JSON shape for every error: ``{"detail": "...", "errors": [{"field", "message"}]}``.

Services raise Django's ValidationError, PermissionDenied and DoesNotExist; ninja raises its
own ValidationError (schema) and HttpError (authentication, unparsable body). All of them
end here, so a client reads one shape whatever went wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaValidationError

from cornerstone.core.validation import StaleVersion

# Where ninja found a value; the first part of a pydantic error location.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}
# Name of the body parameter in every write endpoint; stripped from error locations.
BODY_PARAM = "payload"

_NUMBER = gettext_lazy("请输入有效的数字。")
_INTEGER = gettext_lazy("请输入整数。")
_DATE = gettext_lazy("请输入有效的日期，格式为 YYYY-MM-DD。")
_SCHEMA_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("此字段为必填项。"),
    "extra_forbidden": gettext_lazy("未知字段或不可修改的字段。"),
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "finite_number": _NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "int_parsing": _INTEGER,
    "int_type": _INTEGER,
    "int_from_float": _INTEGER,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "bool_parsing": gettext_lazy("请输入 true 或 false。"),
    "bool_type": gettext_lazy("请输入 true 或 false。"),
    "string_type": gettext_lazy("请输入文本。"),
    "list_type": gettext_lazy("请输入列表。"),
    "model_type": gettext_lazy("请求体应为 JSON 对象。"),
    "model_attributes_type": gettext_lazy("请求体应为 JSON 对象。"),
    "dict_type": gettext_lazy("请求体应为 JSON 对象。"),
    "literal_error": gettext_lazy("无效的选项，可选值：%(expected)s。"),
    "greater_than_equal": gettext_lazy("不能小于 %(ge)s。"),
    "less_than_equal": gettext_lazy("不能大于 %(le)s。"),
    "string_too_long": gettext_lazy("最多 %(max_length)s 个字符。"),
}
# ninja's own English messages, said in the interface language.
_HTTP_MESSAGES: dict[str, Any] = {
    "Unauthorized": gettext_lazy(
        "请先登录，或在请求头中提供接口令牌（Authorization: Bearer <令牌>）。"
    ),
    "Forbidden": gettext_lazy("您没有执行此操作的权限。"),
    "Cannot parse request body": gettext_lazy("请求体不是有效的 JSON。"),
    "Too many requests.": gettext_lazy("请求过于频繁，请稍后再试。"),
}


def field_error(field: str, message: str) -> dict[str, str]:
    """One entry of the ``errors`` list."""
    return {"field": field, "message": message}


def error_body(detail: str, errors: Sequence[Mapping[str, str]] = ()) -> dict[str, Any]:
    """The error shape itself."""
    return {"detail": detail, "errors": list(errors)}


def _summary(errors: Sequence[Mapping[str, str]]) -> str:
    if len(errors) == 1:
        return errors[0]["message"]
    return _("输入有误（共 %(count)d 处）：%(first)s") % {
        "count": len(errors),
        "first": errors[0]["message"],
    }


def _field_from_loc(loc: Sequence[Any]) -> str:
    """``("body", "payload", "total_investment")`` → ``total_investment``."""
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] == BODY_PARAM:
        parts = parts[1:]
    names = [str(p) for p in parts if not isinstance(p, int)]
    return ".".join(names) or NON_FIELD_ERRORS


def schema_message(error: Mapping[str, Any]) -> str:
    """A pydantic error in the interface language; the English text only as a last resort."""
    template = _SCHEMA_MESSAGES.get(error.get("type", ""))
    if template is None:
        return _("输入无效：%s") % error.get("msg", "")
    text = str(template)
    # pydantic always gives the context these templates name (expected, ge, le, max_length).
    return text % dict(error.get("ctx") or {}) if "%(" in text else text


def django_errors(exc: DjangoValidationError) -> list[dict[str, str]]:
    """A service's ValidationError as one entry per field message."""
    if hasattr(exc, "error_dict"):
        return [
            field_error(field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [field_error(NON_FIELD_ERRORS, message) for message in exc.messages]


@contextmanager
def fields_renamed(mapping: Mapping[str, str]) -> Iterator[None]:
    """Report a service's field names as the names this endpoint's client sent."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {mapping.get(name, name): errors for name, errors in exc.error_dict.items()}
        ) from exc


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn every expected failure into the error shape."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        response = api.create_response(request, body, status=status)
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = django_errors(exc)
        return respond(request, 400, error_body(_summary(errors), errors))

    def on_stale(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
        # Optimistic locking: a conflict with someone else's save, not a bad request.
        errors = django_errors(exc)
        return respond(request, 409, error_body(_summary(errors), errors))

    def on_schema_validation(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        errors = [
            field_error(_field_from_loc(e.get("loc", ())), schema_message(e)) for e in exc.errors
        ]
        return respond(request, 400, error_body(_summary(errors), errors))

    def on_missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        # The same answer whether the object does not exist or lies outside the caller's scope.
        return respond(request, 404, error_body(_("未找到")))

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("您没有执行此操作的权限。")
        return respond(request, 403, error_body(message))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(_HTTP_MESSAGES.get(exc.message, exc.message))
        return respond(request, exc.status_code, error_body(message))

    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (StaleVersion, on_stale),
        (DjangoValidationError, on_django_validation),
        (SchemaValidationError, on_schema_validation),
        (ObjectDoesNotExist, on_missing),
        (Http404, on_missing),
        (PermissionDenied, on_denied),
        (HttpError, on_http_error),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, handler)
