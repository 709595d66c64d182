from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "cornerstone.evaluation"
    label = "evaluation"
