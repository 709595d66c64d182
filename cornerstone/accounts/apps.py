from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cornerstone.accounts"
    label = "accounts"
