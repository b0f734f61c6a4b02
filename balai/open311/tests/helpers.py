"""Complaints built through the services, with a reporter whose identity must never leak."""

from balai.complaints.services import complaint_submit, complaint_verify

REPORTER = {
    "reporter_name": "Ketut Sembunyi",
    "reporter_phone": "081299887766",
    "reporter_email": "ketut.sembunyi@example.com",
}
IDENTITY = ("Ketut", "Sembunyi", "081299887766", "ketut.sembunyi")


def verified(pemda, category, actor, *, secret=False, anonymous=True, **fields):
    """A complaint submitted by phone and verified (public unless `secret`)."""
    fields.setdefault("description", "Jalan berlubang di depan pasar Kidul")
    complaint = complaint_submit(
        pemda=pemda, channel="phone", category=category, **REPORTER, **fields
    )
    return complaint_verify(
        complaint=complaint,
        actor=actor,
        category=category,
        is_secret=secret,
        is_anonymous=anonymous,
    )


def assert_no_identity(body: bytes | str) -> None:
    text = body.decode() if isinstance(body, bytes) else body
    for secret in IDENTITY:
        assert secret not in text
