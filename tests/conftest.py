from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import harness


@pytest.fixture(scope="session", autouse=True)
def _close_packs() -> Iterator[None]:
    yield
    harness.close_all()
