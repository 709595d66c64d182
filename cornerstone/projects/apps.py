from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "cornerstone.projects"
    label = "projects"
