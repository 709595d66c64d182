from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cornerstone.core"
    label = "core"
    verbose_name = "基础"
