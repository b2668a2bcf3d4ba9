from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    verbose_name = "The partnership's settings"
    name = "mace.configuration"
    label = "configuration"

    def ready(self) -> None:
        from django.core.signals import request_started
        from django.test.signals import setting_changed

        from mace.configuration import store

        # Each request reads the settings afresh (once), so a change made through another
        # process (gunicorn worker) is seen by the next request everywhere.
        request_started.connect(store.forget, dispatch_uid="configuration-forget")
        # A changed Django setting (override_settings) is a changed default.
        setting_changed.connect(store.forget, dispatch_uid="configuration-forget-setting")
