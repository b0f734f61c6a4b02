from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def _render(path: str, number: int) -> str:
    request = RequestFactory().get(path)
    page = Paginator(range(60), 25).get_page(number)
    with translation.override("en"):
        return render_to_string("core/_pagination.html", {"page": page}, request=request)


def test_middle_page_links_keep_the_filters():
    html = _render("/staf/x/aduan/?status=received&page=2", 2)
    assert "Page 2 of 3" in html
    assert 'href="?status=received&amp;page=1" rel="prev"' in html
    assert 'href="?status=received&amp;page=3" rel="next"' in html


def test_first_page_has_no_previous_link_and_one_page_renders_nothing():
    first = _render("/x/", 1)
    assert 'rel="prev"' not in first and 'rel="next"' in first
    request = RequestFactory().get("/x/")
    single = Paginator(range(3), 25).get_page(1)
    assert (
        render_to_string("core/_pagination.html", {"page": single}, request=request).strip() == ""
    )
