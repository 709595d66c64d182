from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "cornerstone.ingest"
    label = "ingest"
