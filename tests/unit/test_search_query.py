import pytest

from ksales.domain.errors import InvalidParameter
from ksales.domain.search import OrderQuery, QueryKind


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("12345", QueryKind.ID, "12345"),
        ("#77", QueryKind.ID, "77"),
        ("+380 67 123 45 67", QueryKind.PHONE, "380671234567"),
        ("067-123-45-67", QueryKind.PHONE, "380671234567"),
        ("Olena@Example.com", QueryKind.EMAIL, "olena@example.com"),
    ],
)
def test_recognised(text: str, kind: QueryKind, value: str) -> None:
    assert OrderQuery.parse(text) == OrderQuery(kind, value)


@pytest.mark.parametrize("text", ["", "hello", "<script>", "12-ab", "1" * 30])
def test_refused(text: str) -> None:
    with pytest.raises(InvalidParameter):
        OrderQuery.parse(text)
