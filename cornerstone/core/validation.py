"""Setting a model's fields from submitted values, every problem reported at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def values_apply(
    instance: models.Model, data: Mapping[str, Any], allowed: Collection[str]
) -> dict[str, list[str]]:
    """Set the given fields; return the messages of values that cannot be used.

    A value that cannot be converted (text for an amount, a key that does not exist) is
    reported and left unset, so the model's cross-field rules never compare text with
    numbers or look up a missing row.
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("该字段不可修改。") for name in sorted(unknown)})
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        assert isinstance(field, models.Field)
        if isinstance(value, models.Model):
            value = value.pk
        if field.is_relation and value == "":
            value = None
        if value is None and not field.null and field.empty_strings_allowed:
            value = ""  # text columns keep "not given" as an empty string, never NULL
        try:
            value = field.to_python(value)
            if (
                field.is_relation
                and value is not None
                and not field.related_model._default_manager.filter(pk=value).exists()  # type: ignore[union-attr]
            ):
                raise ValidationError(
                    _("%(field)s“%(value)s”不存在。")
                    % {"field": field.verbose_name, "value": value}
                )
        except ValidationError as exc:
            errors[name] = exc.messages
            continue
        setattr(instance, field.attname, value)
    return errors


class StaleVersion(ValidationError):
    """The row changed since the caller read it, so their write is refused (HTTP 409)."""

    def __init__(self, message: str) -> None:
        super().__init__({"version": [message]})


def full_clean_or_raise(instance: models.Model, errors: dict[str, list[str]]) -> None:
    """Validate the instance and raise every problem at once, the unusable values included."""
    try:
        instance.full_clean(exclude=set(errors))
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
