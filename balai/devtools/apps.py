from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "balai.devtools"
    verbose_name = "Developer tools"
