"""Template filters for the catalog: `{{ fee|rupiah }}`, `{{ standard|fee_text }}`,
`{{ standard|duration_text }}`."""

from django import template

from .. import formatting

register = template.Library()


@register.filter
def rupiah(amount) -> str:
    return formatting.rupiah(amount)


@register.filter
def fee_text(standard) -> str:
    return formatting.fee_text(standard.fee)


@register.filter
def duration_text(standard) -> str:
    return formatting.duration_text(standard.processing_time, standard.processing_unit)
