"""Writes about users, memberships and tokens."""

from django.db import transaction
from django.utils import timezone

from balai.core.audit import audit_record

from .models import Membership, PersonalToken, User


@transaction.atomic
def token_create(*, actor: User, name: str, user: User | None = None) -> tuple[PersonalToken, str]:
    """A new personal API token. Returns the token and its key, which is never shown again."""
    owner = user or actor
    raw = PersonalToken.new_key()
    token = PersonalToken(
        user=owner,
        name=name,
        key_prefix=raw[: len(PersonalToken.PREFIX) + 6],
        key_hash=PersonalToken.hash_key(raw),
    )
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="token.create", target=token, changes={"user": owner.pk})
    return token, raw


@transaction.atomic
def token_revoke(*, actor: User, token_id: str) -> int:
    tokens = PersonalToken.objects.filter(
        user=actor, pk=token_id if str(token_id).isdigit() else -1, revoked_at__isnull=True
    )
    revoked = list(tokens)
    tokens.update(revoked_at=timezone.now())
    for token in revoked:
        audit_record(actor=actor, action="token.revoke", target=token)
    return len(revoked)


@transaction.atomic
def membership_grant(*, actor, user: User, pemda, role: str, opd=None, region=None) -> Membership:
    membership = Membership(user=user, pemda=pemda, role=role, opd=opd, region=region)
    membership.full_clean()
    membership.save()
    audit_record(
        actor=actor,
        action="membership.grant",
        target=membership,
        changes={"user": user.username, "role": role},
    )
    return membership
