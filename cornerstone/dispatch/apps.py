from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "cornerstone.dispatch"
    label = "dispatch"
