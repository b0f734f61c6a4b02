"""Bahasa Indonesia first: the UI language is the visitor's explicit choice, else Indonesian.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to English
would see English on its first visit; Balai serves Indonesian until the visitor switches.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
