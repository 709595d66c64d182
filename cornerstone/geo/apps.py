from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "cornerstone.geo"
    label = "geo"
