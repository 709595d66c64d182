from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "cornerstone.alerts"
    label = "alerts"
