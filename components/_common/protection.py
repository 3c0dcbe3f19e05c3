"""What production data and keys keep, whatever the caller asks (control IR-2), checked before registration."""

from __future__ import annotations

from components._common import CreateKey, Ownership

#: Production keys keep destroyed versions restorable this long (the GCP default).
PRODUCTION_DESTROY_WINDOW_DAYS = 30


def check_create_key(settings: CreateKey, ownership: Ownership, field_name: str) -> None:
    """Refuse a destroy-scheduled window shorter than the production minimum for production data."""
    if (
        ownership.environment == "production"
        and settings.deletion_window_days < PRODUCTION_DESTROY_WINDOW_DAYS
    ):
        raise ValueError(
            f"{field_name}.deletion_window_days={settings.deletion_window_days}: production keys keep destroyed "
            f"versions restorable for {PRODUCTION_DESTROY_WINDOW_DAYS} days (control IR-2); "
            f"use deletion_window_days={PRODUCTION_DESTROY_WINDOW_DAYS} (the default)"
        )


def check_deletion_protection(enabled: bool, ownership: Ownership) -> None:
    """Refuse turning deletion protection off for production data."""
    if ownership.environment == "production" and not enabled:
        raise ValueError(
            "deletion_protection=False: production data and keys keep deletion protection (control IR-2); "
            "leave the default (True), or use a sandbox/staging ownership for disposable resources"
        )
