"""The GRAPH.BULK wire format, byte for byte (the engine's reader is in FalkorDB's bulk_insert.c)."""

from __future__ import annotations

import struct

import pytest

from citygraph.store import bulkformat as fmt


def test_each_value_type_packs_as_the_engine_reads_it():
    assert fmt.value(None) == b"\x00"
    assert fmt.value(True) == b"\x01\x01" and fmt.value(False) == b"\x01\x00"
    assert fmt.value(0.5) == b"\x02" + struct.pack("=d", 0.5)
    assert fmt.value("汕头") == b"\x03" + "汕头".encode() + b"\x00"
    assert fmt.value(-7) == b"\x04" + struct.pack("=q", -7)
    assert fmt.value(["a", 2]) == b"\x05" + struct.pack("=q", 2) + b"\x03a\x00" + b"\x04" + struct.pack("=q", 2)


def test_a_header_names_labels_then_properties():
    assert fmt.header("Place:City", ["id", "name"]) == b"Place:City\x00" + struct.pack("=I", 2) + b"id\x00name\x00"


def test_records_follow_the_header_order_and_leave_absent_properties_unset():
    assert fmt.node({"name": "Lyon", "id": "lyon"}, ["id", "lat", "name"]) == (
        fmt.value("lyon") + b"\x00" + fmt.value("Lyon"))
    assert fmt.ends(3, 9) == struct.pack("=QQ", 3, 9)


def test_what_the_format_cannot_carry_is_refused_by_name():
    with pytest.raises(ValueError, match="NUL"):
        fmt.value("a\x00b")
    with pytest.raises(TypeError, match="dict"):
        fmt.value({"a": 1})
