"""Ids from outside: positive, plain digits, at most 2^53."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksales.domain.ids import MAX_ID, id_from_text, is_valid_id


@pytest.mark.parametrize("text", ["1", "42", str(MAX_ID), "0042"])
def test_valid_ids(text: str) -> None:
    assert id_from_text(text) == int(text)


@pytest.mark.parametrize(
    "text", ["", "0", "-1", "+1", " 1", "1.0", "١٢", str(MAX_ID + 1), str(2**63), "9" * 40, "1e3"]
)
def test_invalid_ids(text: str) -> None:
    assert id_from_text(text) is None


@given(st.integers())
def test_is_valid_id_is_the_range(value: int) -> None:
    assert is_valid_id(value) == (1 <= value <= MAX_ID)
    assert not is_valid_id(True)
