"""Derived ids are uuid5 exactly: projects made by other versions must agree on them."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.model import NAMESPACE, derived_id


@given(st.text(max_size=20), st.text(max_size=100))
def test_a_derived_id_is_the_uuid5_of_kind_and_key(kind: str, key: str) -> None:
    assert derived_id(kind, key) == str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))
