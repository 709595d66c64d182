"""Choices for reference data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")


class ZoneKind(models.TextChoices):
    NATIONAL = "national", _("国家级开发区")
    PROVINCIAL = "provincial", _("省级开发区")
    PARK = "park", _("产业园区")
    AREA = "area", _("片区")


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("门类")
    DIVISION = "division", _("大类")


class Sector(models.IntegerChoices):
    PRIMARY = 1, _("第一产业")
    SECONDARY = 2, _("第二产业")
    TERTIARY = 3, _("第三产业")
