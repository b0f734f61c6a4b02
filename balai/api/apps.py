from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "balai.api"
    verbose_name = "API"
