from django.apps import AppConfig


class AccountsConfig(AppConfig):
    verbose_name = "Accounts, agencies and roles"
    name = "mace.accounts"
    label = "accounts"
