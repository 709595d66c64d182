from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "cornerstone.plans"
    label = "plans"
