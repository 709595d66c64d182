from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "cornerstone.problems"
    label = "problems"
