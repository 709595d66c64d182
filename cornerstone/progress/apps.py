from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "cornerstone.progress"
    label = "progress"
