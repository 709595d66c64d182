from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "cornerstone.campaigns"
    label = "campaigns"
