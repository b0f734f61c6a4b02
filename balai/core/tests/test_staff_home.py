"""The staff home links every role to the pages it works with."""


def test_staff_home_links_each_role_to_its_pages(client, bontang, make_member):
    from balai.accounts.choices import Role

    client.force_login(make_member(bontang, Role.EVENT_STAFF))
    html = client.get("/staf/").content.decode()
    assert "/staf/bontang/kunjungan/" in html and "/staf/bontang/aduan/" not in html
    client.force_login(make_member(bontang, Role.LEADERSHIP))
    html = client.get("/staf/").content.decode()
    assert "/staf/bontang/skm/" in html and "/staf/bontang/evaluasi/aduan/" in html
    assert "/staf/bontang/audit/" not in html
