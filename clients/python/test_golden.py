#!/usr/bin/env python3
"""Checks the Python codec against proto/golden/* and the worked examples of proto/WIRE.md.

    python3 clients/python/test_golden.py        (exit code 0 when everything matches)

Every golden vector is checked both ways: the JSON meaning encodes to exactly the hex, and the hex
decodes to exactly the meaning (also as compact JSON text, member order included).
"""

import glob
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import profiled_client as pc  # noqa: E402

GOLDEN = os.path.join(ROOT, "proto", "golden")
CONTROL_MESSAGES = {"Hello", "CallStart", "Trailer", "GoAway", "ErrorDetails"}


def load_schema():
    with open(os.path.join(ROOT, "proto", "profile.schema"), encoding="utf-8") as f:
        return pc.Schema.parse(f.read())


SCHEMA = load_schema()
CONTROL = pc.control_schema()


def schema_for(message):
    return CONTROL if message in CONTROL_MESSAGES else SCHEMA


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class GoldenVectors(unittest.TestCase):
    def vectors(self):
        paths = sorted(glob.glob(os.path.join(GOLDEN, "*.json")))
        self.assertGreater(len(paths), 0, "no golden vectors in %s" % GOLDEN)
        for path in paths:
            with open(path, encoding="utf-8") as f:
                yield os.path.basename(path), json.load(f)

    def test_encode_meaning_gives_the_hex(self):
        for name, vector in self.vectors():
            with self.subTest(vector=name):
                meaning = json.loads(vector["json"])
                encoded = pc.encode_message(schema_for(vector["message"]), vector["message"], meaning)
                self.assertEqual(encoded.hex(), vector["hex"])

    def test_decode_hex_gives_the_meaning(self):
        for name, vector in self.vectors():
            with self.subTest(vector=name):
                decoded = pc.decode_message(
                    schema_for(vector["message"]), vector["message"], bytes.fromhex(vector["hex"]))
                self.assertEqual(decoded, json.loads(vector["json"]))
                self.assertEqual(compact(decoded), vector["json"])  # member order, compact text

    def test_every_vector_names_a_known_message(self):
        for name, vector in self.vectors():
            with self.subTest(vector=name):
                self.assertIn(vector["message"], schema_for(vector["message"]).messages)


class GoldenFrames(unittest.TestCase):
    """proto/golden/frames-unary-call.hex: HELLO, CALL_START and MESSAGE of a Health/Check call."""

    def setUp(self):
        with open(os.path.join(GOLDEN, "frames-unary-call.hex"), encoding="ascii") as f:
            self.data = bytes.fromhex(f.read().strip())

    def split(self, data):
        frames, pos = [], 0
        while pos < len(data):
            self.assertGreaterEqual(len(data) - pos, 10, "a partial frame header")
            length, frame_type, flags, call_id = pc.HEADER.unpack_from(data, pos)
            pos += 10
            self.assertLessEqual(length, len(data) - pos, "a frame runs past the end")
            frames.append((frame_type, flags, call_id, data[pos:pos + length]))
            pos += length
        return frames

    def test_decode_frames(self):
        frames = self.split(self.data)
        self.assertEqual([(t, f, c) for t, f, c, _ in frames],
                         [(pc.HELLO, 0, 0), (pc.CALL_START, 0, 1), (pc.MESSAGE, pc.END_STREAM, 1)])
        self.assertEqual(pc.decode_message(CONTROL, "Hello", frames[0][3]), {"magic": "profiled-rpc", "version": 1})
        self.assertEqual(pc.decode_message(CONTROL, "CallStart", frames[1][3]),
                         {"method": "Health/Check", "metadata": {}})
        self.assertEqual(pc.decode_message(SCHEMA, "Health.CheckRequest", frames[2][3]), {})

    def test_encode_frames(self):
        encoded = (
            pc.encode_frame(pc.HELLO, 0, pc.encode_message(CONTROL, "Hello", {"magic": "profiled-rpc", "version": 1}))
            + pc.encode_frame(pc.CALL_START, 1, pc.encode_message(
                CONTROL, "CallStart", {"method": "Health/Check", "metadata": {}}))
            + pc.encode_frame(pc.MESSAGE, 1, pc.encode_message(SCHEMA, "Health.CheckRequest", {}), pc.END_STREAM))
        self.assertEqual(encoded.hex(), self.data.hex())

    def test_server_side_of_the_complete_example(self):
        # WIRE.md "A complete example", server -> client.
        server = bytes.fromhex(
            "00000018 01 00 00000000 0a0c70726f66696c65642d727063 1001 1880808002 208008"
            "00000002 03 00 00000001 0802"
            "00000006 05 00 00000001 0800 1200 2200")
        frames = self.split(server)
        self.assertEqual(pc.decode_message(CONTROL, "Hello", frames[0][3]), {
            "magic": "profiled-rpc", "version": 1, "maxFrameSize": 4194304, "maxConcurrentCalls": 1024})
        self.assertEqual(frames[1][:3], (pc.MESSAGE, 0, 1))
        self.assertEqual(pc.decode_message(SCHEMA, "Health.CheckResponse", frames[1][3]), {"status": "serving"})
        self.assertEqual(frames[2][:3], (pc.TRAILER, 0, 1))
        self.assertEqual(pc.decode_message(CONTROL, "Trailer", frames[2][3]),
                         {"code": 0, "message": "", "metadata": {}})


# The types of WIRE.md "Worked examples", in profile.schema syntax (Named has named fields).
EXAMPLE_SCHEMA = pc.Schema.parse("""
message Point {
  1 x: int64
  2 y: int64
}
message Example {
  1 name: string
  2 origin: Point
  3 tags: [string]
  4 ratio: double?
}
message Named {
  title: string
  count: int64
}
enum Status: int64 {
  active = 1
  suspended = 2
  deleted = -3
}
message Settings {
  1 limits: {string:int64}
  2 status: Status
  3 at: timestamp
  4 ratio: double
  5 level: float
}
""")


class WorkedExamples(unittest.TestCase):
    """The byte-exact examples of WIRE.md "Encoding"."""

    def both_ways(self, message, value, hex_text):
        expected = bytes.fromhex(hex_text)
        self.assertEqual(pc.encode_message(EXAMPLE_SCHEMA, message, value).hex(), expected.hex())
        self.assertEqual(pc.decode_message(EXAMPLE_SCHEMA, message, expected), value)

    def bare_both_ways(self, type_string, value, hex_text):
        t = pc.parse_type(type_string)
        expected = bytes.fromhex(hex_text)
        self.assertEqual(pc.encode_bare(EXAMPLE_SCHEMA, t, value).hex(), expected.hex())
        decoded, end = pc.decode_bare(EXAMPLE_SCHEMA, t, expected, 0, len(expected))
        self.assertEqual(end, len(expected))
        self.assertEqual(decoded, value)

    def test_varints(self):
        for value, hex_text in [(0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"),
                                (2**64 - 1, "ffffffffffffffffff01")]:
            self.assertEqual(pc.encode_varint(value).hex(), hex_text)
            self.assertEqual(pc.read_varint(bytes.fromhex(hex_text), 0, len(hex_text) // 2), (value, len(hex_text) // 2))
        self.assertEqual(pc.read_varint(bytes.fromhex("8000"), 0, 2), (0, 2))  # non-minimal is accepted
        for bad in ["80", "ffffffffffffffffff02", "ffffffffffffffffffff01"]:
            with self.assertRaises(pc.CodecError):
                pc.read_varint(bytes.fromhex(bad), 0, len(bad) // 2)

    def test_zigzag(self):
        self.assertEqual([pc.zigzag_encode(n) for n in [0, -1, 1, -2, 2]], [0, 1, 2, 3, 4])
        self.assertEqual([pc.zigzag_decode(u) for u in [0, 1, 2, 3, 4]], [0, -1, 1, -2, 2])
        self.assertEqual(pc.zigzag_decode(pc.zigzag_encode(-2**63)), -2**63)

    def test_1_point(self):
        self.both_ways("Point", {"x": 1, "y": -2}, "08 02 10 03")

    def test_2_example(self):
        self.both_ways("Example", {"name": "hi", "origin": {"x": 150, "y": 0}, "tags": ["a", "bc"]},
                       "0A 02 68 69 12 05 08 AC 02 10 00 1A 05 01 61 02 62 63")

    def test_3_named_fields(self):
        self.both_ways("Named", {"title": "x", "count": 3},
                       "02 05 74 69 74 6C 65 01 78 00 05 63 6F 75 6E 74 06")

    def test_4_settings(self):
        self.both_ways("Settings", {"limits": {"a": -1, "b": 2}, "status": "active",
                                    "at": "1970-01-01T00:00:01.500000Z", "ratio": 1.0, "level": 1.5},
                       "0A 06 01 61 01 01 62 04 10 02 18 C0 8D B7 01 21 00 00 00 00 00 00 F0 3F 2D 00 00 C0 3F")
        # Input map order does not matter; output is sorted.
        encoded = pc.encode_message(EXAMPLE_SCHEMA, "Settings", {
            "limits": {"b": 2, "a": -1}, "status": "active", "at": "1970-01-01T00:00:01.5Z", "ratio": 1, "level": 1.5})
        self.assertEqual(encoded.hex()[:16], "0a06016101016204")

    def test_5_top_level_values(self):
        self.bare_both_ways("int64", 300, "D8 04")
        self.bare_both_ways("string", "hi", "02 68 69")
        self.bare_both_ways("[int64]", [1, -1], "02 02 01")

    def test_6_long_payload(self):
        value = {"name": "a" * 200, "origin": {"x": 0, "y": 0}, "tags": []}
        encoded = pc.encode_message(EXAMPLE_SCHEMA, "Example", value)
        self.assertEqual(len(encoded), 211)
        self.assertEqual(encoded[:3].hex(), "0ac801")
        self.assertEqual(encoded[203:].hex(), "120408001000" + "1a00")
        self.assertEqual(pc.decode_message(EXAMPLE_SCHEMA, "Example", encoded), value)

    def test_7_map_key_order(self):
        t = pc.parse_type("{int64:int64}")
        self.assertEqual(pc.encode_bare(EXAMPLE_SCHEMA, t, {10: 0, -1: 0, 2: 0}).hex(), "06010004001400")
        self.bare_both_ways("{int64:int64}", {"-1": 0, "2": 0, "10": 0}, "06 01 00 04 00 14 00")
        self.bare_both_ways("{string:int64}", {"Z": 1, "a": 1, "é": 1}, "0A 01 5A 02 01 61 02 02 C3 A9 02")

    def test_reading_rules(self):
        # Last occurrence wins; unknown fields of every wire type are skipped, numbered or named.
        data = bytes.fromhex("08 02 10 03 08 04"  # x=1, y=-2, x=2
                             "c8 01 05  d1 01 0000000000000000  d5 01 00000000  da 01 01 ff"  # unknown 25, 26, 27, 28
                             "00 03 7a 7a 7a 01")  # named field "zzz" = varint
        self.assertEqual(pc.decode_message(EXAMPLE_SCHEMA, "Point", data), {"x": 2, "y": -2})
        with self.assertRaises(pc.CodecError):  # missing required field
            pc.decode_message(EXAMPLE_SCHEMA, "Point", bytes.fromhex("0802"))
        with self.assertRaises(pc.CodecError):  # wrong wire type
            pc.decode_message(EXAMPLE_SCHEMA, "Point", bytes.fromhex("0a0102 1003"))
        with self.assertRaises(pc.CodecError):  # wire type 3
            pc.decode_message(EXAMPLE_SCHEMA, "Point", bytes.fromhex("0b"))
        with self.assertRaises(pc.CodecError):  # truncated length
            pc.decode_message(EXAMPLE_SCHEMA, "Example", bytes.fromhex("0a05 6869"))
        with self.assertRaises(pc.CodecError):  # bool out of range
            pc.decode_bare(EXAMPLE_SCHEMA, ("scalar", "bool"), b"\x02", 0, 1)
        with self.assertRaises(pc.CodecError):  # unknown enum value
            pc.decode_bare(EXAMPLE_SCHEMA, ("named", "Status"), b"\x08", 0, 1)
        with self.assertRaises(pc.CodecError):  # value out of range for int8
            pc.decode_bare(EXAMPLE_SCHEMA, ("scalar", "int8"), pc.encode_varint(pc.zigzag_encode(128)), 0, 2)

    def test_json_forms(self):
        t = pc.parse_type
        cases = [
            ("timestamp", "2026-11-23T12:00:00Z"), ("timestamp", "2026-11-23T12:00:00.123456Z"),
            ("timestamp", "0000-01-01T00:00:00Z"), ("timestamp", "9999-12-31T23:59:59.999999Z"),
            ("timestamp", "1969-12-31T23:59:59.999999Z"),
            ("uuid", "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"), ("bytes", "AAEC/w=="),
            ("double", 0.25), ("double", 1e-07), ("double", "NaN"), ("double", "-Infinity"),
            ("float", 0.1), ("float", "Infinity"), ("uint64", 2**64 - 1), ("int64", -2**63),
        ]
        for type_string, value in cases:
            with self.subTest(type=type_string, value=value):
                encoded = pc.encode_bare(EXAMPLE_SCHEMA, t(type_string), value)
                decoded, _ = pc.decode_bare(EXAMPLE_SCHEMA, t(type_string), encoded, 0, len(encoded))
                self.assertEqual(decoded, value)
        # Inputs that normalize.
        self.assertEqual(pc.parse_timestamp("2026-11-23t13:00:00.1234565+01:00"), pc.parse_timestamp("2026-11-23T12:00:00.123457Z"))
        self.assertEqual(pc.parse_timestamp("1970-01-01T00:00:01.5z"), 1_500_000)
        self.assertEqual(pc.encode_bare(EXAMPLE_SCHEMA, t("uuid"), "e621e1f8-c36c-495a-93fc-0c247a3e6e5f")[1:].hex(),
                         "e621e1f8c36c495a93fc0c247a3e6e5f")
        self.assertEqual(pc.encode_bare(EXAMPLE_SCHEMA, t("bytes"), b"\x00\x01"), b"\x02\x00\x01")
        with self.assertRaises(pc.CodecError):
            pc.encode_message(EXAMPLE_SCHEMA, "Point", {"x": 1, "y": 2, "z": 3})  # unknown names are errors
        with self.assertRaises(pc.CodecError):
            pc.encode_message(EXAMPLE_SCHEMA, "Point", {"x": 1.5, "y": 2})  # no fractions
        self.assertEqual(pc.encode_message(EXAMPLE_SCHEMA, "Example", {
            "name": "", "origin": {"x": 0, "y": 0}, "tags": [], "ratio": None}).hex(), "0a00120408001000" + "1a00")

    def test_schema_file_is_complete(self):
        # Every type a field or method names is declared in profile.schema.
        def names(t):
            if t[0] == "named":
                yield t[1]
            elif t[0] == "array":
                yield from names(t[1])
            elif t[0] == "map":
                yield from names(t[2])
        for message, fields in SCHEMA.messages.items():
            for f in fields:
                for n in names(f.type):
                    self.assertTrue(n in SCHEMA.messages or n in SCHEMA.enums, "%s.%s: %s" % (message, f.name, n))
        for method in SCHEMA.methods.values():
            self.assertIn(method.request_type, SCHEMA.messages)
            self.assertIn(method.response_type, SCHEMA.messages)


if __name__ == "__main__":
    unittest.main(verbosity=1)
