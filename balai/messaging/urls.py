from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("whatsapp/", views.whatsapp_webhook, name="whatsapp"),
    path("messenger/", views.messenger_webhook, name="messenger"),
]
