"""Which characters a text may keep, decided for every code point of Unicode."""

from __future__ import annotations

from statusgen.text import without_controls, xml_safe

EVERY_CODE_POINT = range(0x110000)


def kept_by_xml(point: int) -> bool:
    """XML 1.0's `Char`, less DEL and the C1 controls (RFC 5545 forbids them in TEXT)."""
    return (
        point in (0x9, 0xA, 0xD)
        or 0x20 <= point <= 0x7E
        or 0xA0 <= point <= 0xD7FF
        or 0xE000 <= point <= 0xFFFD
        or point >= 0x10000
    )


def test_xml_safe_keeps_exactly_what_xml_1_0_allows() -> None:
    text = "".join(map(chr, EVERY_CODE_POINT))
    assert xml_safe(text) == "".join(chr(p) for p in EVERY_CODE_POINT if kept_by_xml(p))


def test_a_value_read_from_a_file_keeps_the_same_less_the_carriage_return() -> None:
    text = "".join(map(chr, EVERY_CODE_POINT))
    expected = "".join(chr(p) for p in EVERY_CODE_POINT if kept_by_xml(p) and p != 0xD)
    assert without_controls(text) == expected
