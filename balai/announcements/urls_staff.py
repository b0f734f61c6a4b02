"""Staff URLs of announcements and contacts, included into the "staff" namespace."""

from django.urls import path

from . import views_staff as v

P = "<slug:pemda_slug>/pengumuman/"

urlpatterns = [
    path(P, v.announcement_list, name="announcement_list"),
    path(P + "baru/", v.announcement_edit, name="announcement_create"),
    path(P + "<int:pk>/", v.announcement_detail, name="announcement_detail"),
    path(P + "<int:pk>/ubah/", v.announcement_edit, name="announcement_edit"),
    path(P + "<int:pk>/jadwal/", v.announcement_schedule, name="announcement_schedule"),
    path(P + "<int:pk>/kirim/", v.announcement_send, name="announcement_send"),
    path(P + "<int:pk>/batal/", v.announcement_cancel, name="announcement_cancel"),
    path(P + "<int:pk>/jangkauan/", v.announcement_reach, name="announcement_reach"),
    path(
        P + "<int:pk>/jangkauan/tidak-pasti/<int:delivery_pk>/",
        v.announcement_unknown_resolve,
        name="announcement_unknown_resolve",
    ),
    path(P + "<int:pk>/lampiran/", v.announcement_attachment, name="announcement_attachment"),
    path(P + "<int:pk>/poster.pdf", v.announcement_poster, name="announcement_poster"),
    path("<slug:pemda_slug>/kontak-rt/", v.contact_list, name="contact_list"),
    path("<slug:pemda_slug>/kontak-rt/impor/", v.contact_import, name="contact_import"),
]
