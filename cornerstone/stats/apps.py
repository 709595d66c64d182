from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "cornerstone.stats"
    label = "stats"
