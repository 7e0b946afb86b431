"""A Python client for profiled, written from proto/WIRE.md alone.

Standard library only (Python 3.9+). Three layers:

* the message codec: `Schema` (parsed from `proto/profile.schema` text or fetched from the
  server's `Reflection/Describe`), `encode_message` / `decode_message` between the binary
  encoding and the JSON form of WIRE.md as Python values;
* frames: `encode_frame` / `FrameReader` for the 10-byte header + payload;
* `Client`: one connection, HELLO exchange, many calls multiplexed on it (a background reader
  thread routes frames by call id), metadata, timeouts, cancel, `RPCError` for non-OK trailers.

Values follow the JSON form: messages are dicts keyed by field name, enums are case names,
`bytes` are base64 strings on output (input: base64 `str` or raw `bytes`), timestamps are RFC 3339
strings on output (input: RFC 3339 `str` or an aware `datetime`), UUIDs are upper-case strings.
So every decoded value can go straight to `json.dumps`.
"""

import base64
import datetime
import math
import queue
import re
import socket
import struct
import threading
import time
import uuid as _uuid

__all__ = [
    "Client", "Call", "RPCError", "ProtocolError", "Schema", "CodecError",
    "encode_message", "decode_message", "encode_frame", "FrameReader", "STATUS_NAMES",
    "CONTROL_SCHEMA_TEXT",
]

# --------------------------------------------------------------------------------------------
# Status codes (WIRE.md "Status codes")

STATUS_NAMES = {
    0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
    9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
    13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
}
STATUS_CODES = {name: code for code, name in STATUS_NAMES.items()}


class RPCError(Exception):
    """A call that ended with a non-OK trailer (or failed locally with a status code).

    `code` (int), `name` (e.g. "UNIMPLEMENTED"), `message` (str), `details` (the trailer's
    ErrorDetails in JSON form, or None) and `metadata` (trailing metadata dict).
    """

    def __init__(self, code, name, message, details=None, metadata=None):
        super().__init__("%s (%d): %s" % (name, code, message))
        self.code = code
        self.name = name
        self.message = message
        self.details = details
        self.metadata = metadata or {}

    @classmethod
    def from_code(cls, code, message, details=None, metadata=None):
        if code not in STATUS_NAMES:  # "a receiver maps any other number to UNKNOWN"
            message = "status %d: %s" % (code, message)
            code = 2
        return cls(code, STATUS_NAMES[code], message, details, metadata)


class ProtocolError(Exception):
    """The peer broke the framing rules, or the connection failed at the connection level."""


class CodecError(ValueError):
    """A value that cannot be encoded, or bytes that do not decode as the expected type."""


# --------------------------------------------------------------------------------------------
# Building blocks (WIRE.md "Building blocks")

U64 = (1 << 64) - 1
MAX_FIELD_NUMBER = (1 << 29) - 1
MAX_DEPTH = 64
MAX_COUNT = 100_000


def encode_varint(value):
    if value < 0 or value > U64:
        raise CodecError("varint out of range: %r" % (value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def read_varint(buf, pos, end):
    """Returns (value, new position). Accepts non-minimal forms up to 10 bytes."""
    result = shift = 0
    for i in range(10):
        if pos >= end:
            raise CodecError("truncated input")
        b = buf[pos]
        pos += 1
        if i == 9 and b > 1:
            raise CodecError("malformed varint")
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
    raise CodecError("malformed varint")  # 10 bytes, all with the continuation bit


def zigzag_encode(n):
    return ((n << 1) ^ (n >> 63)) & U64


def zigzag_decode(u):
    return (u >> 1) ^ -(u & 1)


def read_length_delimited(buf, pos, end):
    """Returns (payload start, payload end); checks the count before using it."""
    n, pos = read_varint(buf, pos, end)
    if n > end - pos:
        raise CodecError("truncated input")
    return pos, pos + n


def length_delimited(payload):
    return encode_varint(len(payload)) + payload


# --------------------------------------------------------------------------------------------
# Type strings (WIRE.md "Type strings")

SIGNED = {"int8": 8, "int16": 16, "int32": 32, "int64": 64}
UNSIGNED = {"uint8": 8, "uint16": 16, "uint32": 32, "uint64": 64}
SCALARS = set(SIGNED) | set(UNSIGNED) | {
    "bool", "float", "double", "string", "bytes", "timestamp", "uuid"}
MAP_KEYS = {"string"} | set(SIGNED) | set(UNSIGNED)

# Parsed types are tuples: ("scalar", name), ("named", name), ("array", elem), ("map", key, value)


def parse_type(text):
    t, pos = _parse_type(text, 0)
    if pos != len(text):
        raise CodecError("bad type string %r" % text)
    return t


_NAME = re.compile(r"[^\s\[\]{}:]+")


def _parse_type(text, pos):
    if pos < len(text) and text[pos] == "[":
        elem, pos = _parse_type(text, pos + 1)
        if pos >= len(text) or text[pos] != "]":
            raise CodecError("bad type string %r" % text)
        return ("array", elem), pos + 1
    if pos < len(text) and text[pos] == "{":
        m = _NAME.match(text, pos + 1)
        if not m or text[m.end():m.end() + 1] != ":" or m.group() not in MAP_KEYS:
            raise CodecError("bad map key in type string %r" % text)
        value, pos = _parse_type(text, m.end() + 1)
        if pos >= len(text) or text[pos] != "}":
            raise CodecError("bad type string %r" % text)
        return ("map", m.group(), value), pos + 1
    m = _NAME.match(text, pos)
    if not m:
        raise CodecError("bad type string %r" % text)
    name = m.group()
    return (("scalar", name) if name in SCALARS else ("named", name)), m.end()


# --------------------------------------------------------------------------------------------
# Schemas


class Field:
    __slots__ = ("name", "number", "type_string", "type", "optional")

    def __init__(self, name, number, type_string, optional):
        self.name = name
        self.number = number  # None for a named field
        self.type_string = type_string
        self.type = parse_type(type_string)
        self.optional = optional

    def __repr__(self):
        return "Field(%r, %r, %r, optional=%r)" % (self.name, self.number, self.type_string, self.optional)


class Enum:
    def __init__(self, name, raw_type, cases):
        self.name = name
        self.raw_type = raw_type  # "int64", "string", ...
        self.cases = list(cases)  # [(case name, raw value as int or str)]
        self.by_name = dict(self.cases)
        self.by_raw = {raw: case for case, raw in self.cases}


class Method:
    def __init__(self, service, name, kind, request_type, response_type, trusted=False):
        self.service = service
        self.name = name
        self.kind = kind  # "unary", "serverStreaming", "clientStreaming", "bidirectionalStreaming"
        self.request_type = request_type
        self.response_type = response_type
        self.trusted = trusted

    @property
    def path(self):
        return "%s/%s" % (self.service, self.name)


# The control messages of WIRE.md "Connections and frames", in the syntax of profile.schema.
CONTROL_SCHEMA_TEXT = """
message Hello {
  1 magic: string
  2 version: uint32
  3 maxFrameSize: uint32?
  4 maxConcurrentCalls: uint32?
}
message CallStart {
  1 method: string
  2 metadata: {string:string}
  3 timeoutMicroseconds: int64?
}
message Trailer {
  1 code: int64
  2 message: string
  3 details: ErrorDetails?
  4 metadata: {string:string}
}
message GoAway {
  1 lastCallID: uint32
  2 code: int64
  3 message: string
}
message ErrorDetails {
  1 fieldViolations: [FieldViolation]?
  2 preconditionViolations: [PreconditionViolation]?
  3 quotaViolations: [QuotaViolation]?
  4 retryAfterMilliseconds: int64?
}
message FieldViolation {
  1 field: string
  2 description: string
}
message PreconditionViolation {
  1 type: string
  2 subject: string
  3 description: string
}
message QuotaViolation {
  1 subject: string
  2 description: string
}
"""

# What the client needs to bootstrap reflection before it knows anything else (these are the
# Reflection types of profile.schema, copied by hand).
REFLECTION_SCHEMA_TEXT = """
service Reflection {
  rpc ListServices(Reflection.ListServicesRequest) returns (Reflection.ListServicesResponse)
  rpc Describe(Reflection.DescribeRequest) returns (Reflection.DescribeResponse)
}
message Reflection.ListServicesRequest {
}
message Reflection.ListServicesResponse {
  1 services: [Reflection.ServiceDescription]
}
message Reflection.ServiceDescription {
  1 name: string
  2 methods: [Reflection.MethodDescription]
}
message Reflection.MethodDescription {
  1 service: string
  2 name: string
  3 kind: CallKind
  4 requestType: string
  5 responseType: string
  6 trustedCallersOnly: bool
}
message Reflection.DescribeRequest {
  1 name: string
}
message Reflection.DescribeResponse {
  1 service: Reflection.ServiceDescription?
  2 method: Reflection.MethodDescription?
  3 message: MessageSchema?
  4 enumeration: EnumSchema?
  5 types: SchemaSet
}
message SchemaSet {
  1 messages: {string:MessageSchema}
  2 enums: {string:EnumSchema}
}
message MessageSchema {
  1 name: string
  2 fields: [FieldSchema]
}
message FieldSchema {
  1 name: string
  2 number: int64?
  3 type: string
  4 optional: bool
}
message EnumSchema {
  1 name: string
  2 rawType: string
  3 cases: [EnumCase]
}
message EnumCase {
  1 name: string
  2 rawValue: string
}
enum CallKind: int64 {
  unary = 0
  serverStreaming = 1
  clientStreaming = 2
  bidirectionalStreaming = 3
}
"""

_SERVICE_RE = re.compile(r"^service\s+(\S+)\s*\{$")
_RPC_RE = re.compile(
    r"^rpc\s+(\w+)\s*\(\s*(stream\s+)?([^\s)]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([^\s)]+)\s*\)"
    r"\s*(\[trusted callers only\])?$")
_MESSAGE_RE = re.compile(r"^message\s+(\S+)\s*\{\s*(\})?$")
_ENUM_RE = re.compile(r"^enum\s+(\S+)\s*:\s*(\S+)\s*\{$")
_FIELD_RE = re.compile(r"^(?:(\d+)\s+)?([^\s:]+)\s*:\s*(\S+?)(\?)?$")
_CASE_RE = re.compile(r"^(\S+)\s*=\s*(.+)$")

_KINDS = {(False, False): "unary", (False, True): "serverStreaming",
          (True, False): "clientStreaming", (True, True): "bidirectionalStreaming"}


def _raw_value(raw_type, text):
    if raw_type == "string":
        if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
            return text[1:-1]
        return text
    return int(text)


class Schema:
    """Messages, enums and methods: everything the codec and the client need to know."""

    def __init__(self):
        self.messages = {}  # name -> [Field]
        self.enums = {}     # name -> Enum
        self.methods = {}   # "Service/Method" -> Method

    # -- building

    def merge(self, other):
        self.messages.update(other.messages)
        self.enums.update(other.enums)
        self.methods.update(other.methods)
        return self

    @classmethod
    def parse(cls, text):
        """Parses the `proto/profile.schema` syntax (services, messages, enums)."""
        schema = cls()
        block = None  # ("service", name) / ("message", name, fields) / ("enum", name, raw, cases)
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.split("//", 1)[0].strip()
            if not line:
                continue
            try:
                if block is None:
                    m = _SERVICE_RE.match(line)
                    if m:
                        block = ("service", m.group(1))
                        continue
                    m = _MESSAGE_RE.match(line)
                    if m:
                        if m.group(2):
                            schema.messages[m.group(1)] = []
                        else:
                            block = ("message", m.group(1), [])
                        continue
                    m = _ENUM_RE.match(line)
                    if m:
                        block = ("enum", m.group(1), m.group(2), [])
                        continue
                    raise CodecError("unexpected line")
                if line == "}":
                    if block[0] == "message":
                        schema.messages[block[1]] = block[2]
                    elif block[0] == "enum":
                        schema.enums[block[1]] = Enum(block[1], block[2], block[3])
                    block = None
                    continue
                if block[0] == "service":
                    m = _RPC_RE.match(line)
                    if not m:
                        raise CodecError("bad rpc line")
                    kind = _KINDS[(bool(m.group(2)), bool(m.group(4)))]
                    method = Method(block[1], m.group(1), kind, m.group(3), m.group(5), bool(m.group(6)))
                    schema.methods[method.path] = method
                elif block[0] == "message":
                    m = _FIELD_RE.match(line)
                    if not m:
                        raise CodecError("bad field line")
                    number = int(m.group(1)) if m.group(1) else None
                    block[2].append(Field(m.group(2), number, m.group(3), bool(m.group(4))))
                else:
                    m = _CASE_RE.match(line)
                    if not m:
                        raise CodecError("bad enum case line")
                    block[3].append((m.group(1), _raw_value(block[2], m.group(2).strip())))
            except CodecError as error:
                raise CodecError("schema line %d: %s: %r" % (lineno, error, raw)) from None
        if block is not None:
            raise CodecError("schema ends inside %s %s" % (block[0], block[1]))
        return schema

    def add_schema_set(self, types):
        """Adds a decoded `SchemaSet` (JSON form, as `Reflection/Describe` returns it)."""
        for name, message in types.get("messages", {}).items():
            self.messages[name] = [
                Field(f["name"], f.get("number"), f["type"], f["optional"]) for f in message["fields"]]
        for name, enum in types.get("enums", {}).items():
            raw_type = enum["rawType"]
            self.enums[name] = Enum(
                name, raw_type, [(c["name"], _raw_value(raw_type, c["rawValue"])) for c in enum["cases"]])

    def add_method_description(self, description):
        """Adds a decoded `Reflection.MethodDescription`."""
        d = description
        method = Method(d["service"], d["name"], d["kind"], d["requestType"], d["responseType"],
                        d["trustedCallersOnly"])
        self.methods[method.path] = method

    # -- lookups

    def method(self, name):
        path = name.replace(".", "/", 1) if "/" not in name else name
        try:
            return self.methods[path]
        except KeyError:
            raise KeyError("unknown method %r" % name) from None

    def fields(self, message):
        try:
            return self.messages[message]
        except KeyError:
            raise CodecError("unknown message type %r" % message) from None


def control_schema():
    return Schema.parse(CONTROL_SCHEMA_TEXT)


# --------------------------------------------------------------------------------------------
# Timestamps: microseconds since 1970 <-> RFC 3339 in UTC, years 0000-9999, proleptic Gregorian.
# Done by hand because datetime has no year 0.

def _days_from_civil(y, m, d):
    y -= m <= 2
    era = y // 400  # floor division: Hinnant's algorithm with Python's //
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z):
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


_MIN_MICROS = _days_from_civil(0, 1, 1) * 86_400_000_000
_MAX_MICROS = _days_from_civil(10000, 1, 1) * 86_400_000_000 - 1


def format_timestamp(micros):
    if not _MIN_MICROS <= micros <= _MAX_MICROS:
        raise CodecError("timestamp %d µs is outside years 0000-9999" % micros)
    days, rest = divmod(micros, 86_400_000_000)
    seconds, fraction = divmod(rest, 1_000_000)
    y, mo, d = _civil_from_days(days)
    text = "%04d-%02d-%02dT%02d:%02d:%02d" % (y, mo, d, seconds // 3600, seconds // 60 % 60, seconds % 60)
    if fraction:
        text += ".%06d" % fraction
    return text + "Z"


_TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$")


def parse_timestamp(text):
    m = _TIMESTAMP_RE.match(text)
    if not m:
        raise CodecError("not an RFC 3339 timestamp: %r" % text)
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    days_in_month = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
                     31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12 and 1 <= d <= days_in_month[mo - 1] and h <= 23 and mi <= 59 and s <= 59):
        raise CodecError("not a valid date and time: %r" % text)
    micros = ((_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60_000_000 + s * 1_000_000
    if m.group(7):
        digits = m.group(7)
        # Rounded to the nearest microsecond; a tie (exactly 5 in the 7th digit, zeros after)
        # rounds away from zero, like the Date rule of WIRE.md.
        whole = int(digits[:6].ljust(6, "0"))
        rest = digits[6:]
        if rest and (rest[0] > "5" or (rest[0] == "5")):
            whole += 1
        micros += whole
    if m.group(9):
        offset = (int(m.group(10)) * 60 + int(m.group(11))) * 60_000_000
        micros -= offset if m.group(9) == "+" else -offset
    if not _MIN_MICROS <= micros <= _MAX_MICROS:
        raise CodecError("timestamp outside years 0000-9999: %r" % text)
    return micros


def _timestamp_micros(value):
    if isinstance(value, str):
        return parse_timestamp(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise CodecError("naive datetime: give a timezone")
        delta = value - datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    raise CodecError("timestamp must be an RFC 3339 string or an aware datetime, not %r" % (value,))


# --------------------------------------------------------------------------------------------
# Floats


def _shortest_float32(value):
    """The shortest decimal text that reads back as the same binary32 value, as a Python float."""
    packed = struct.pack("<f", value)
    for digits in range(1, 10):
        candidate = float("%.*g" % (digits, value))
        if struct.pack("<f", candidate) == packed:
            return candidate
    return value


def _float_to_json(value, single):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return _shortest_float32(value) if single else value


def _float_from_json(value):
    if isinstance(value, bool):
        raise CodecError("expected a number, got %r" % (value,))
    if isinstance(value, (int, float)):
        return float(value)
    if value == "NaN":
        return math.nan
    if value == "Infinity":
        return math.inf
    if value == "-Infinity":
        return -math.inf
    raise CodecError("expected a number, got %r" % (value,))


# --------------------------------------------------------------------------------------------
# Encoding (Python value in JSON form -> bytes)


def wire_type_of(schema, t):
    kind = t[0]
    if kind == "scalar":
        name = t[1]
        if name == "float":
            return 5
        if name == "double":
            return 1
        if name in ("string", "bytes", "uuid"):
            return 2
        return 0  # bool, integers, timestamp
    if kind == "named":
        enum = schema.enums.get(t[1])
        if enum is not None:
            return 2 if enum.raw_type == "string" else 0
        return 2
    return 2  # arrays and maps


def _check_int(value, type_name, path):
    if isinstance(value, bool) or not isinstance(value, int):
        raise CodecError("%s: expected an integer, got %r" % (path, value))
    if type_name in SIGNED:
        bits = SIGNED[type_name]
        if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
            raise CodecError("%s: %d does not fit %s" % (path, value, type_name))
    else:
        if not 0 <= value < (1 << UNSIGNED[type_name]):
            raise CodecError("%s: %d does not fit %s" % (path, value, type_name))


def _encode_raw(raw_type, raw, path):
    if raw_type == "string":
        return length_delimited(raw.encode("utf-8"))
    if raw_type in SIGNED:
        return encode_varint(zigzag_encode(raw))
    if raw_type in UNSIGNED:
        return encode_varint(raw)
    raise CodecError("%s: unsupported enum raw type %r" % (path, raw_type))


def encode_bare(schema, t, value, path="value", depth=0):
    """The bare encoding of `value` (what follows a field key; with length for wire type 2)."""
    if depth > MAX_DEPTH:
        raise CodecError("depth limit exceeded")
    kind = t[0]
    if kind == "scalar":
        name = t[1]
        if name == "bool":
            if not isinstance(value, bool):
                raise CodecError("%s: expected true or false, got %r" % (path, value))
            return b"\x01" if value else b"\x00"
        if name in SIGNED:
            _check_int(value, name, path)
            return encode_varint(zigzag_encode(value))
        if name in UNSIGNED:
            _check_int(value, name, path)
            return encode_varint(value)
        if name == "float":
            return struct.pack("<f", _float_from_json(value))
        if name == "double":
            return struct.pack("<d", _float_from_json(value))
        if name == "string":
            if not isinstance(value, str):
                raise CodecError("%s: expected a string, got %r" % (path, value))
            try:
                return length_delimited(value.encode("utf-8"))
            except UnicodeEncodeError:
                raise CodecError("%s: string is not valid Unicode (lone surrogate)" % path) from None
        if name == "bytes":
            if isinstance(value, (bytes, bytearray, memoryview)):
                return length_delimited(bytes(value))
            if isinstance(value, str):
                try:
                    return length_delimited(base64.b64decode(value, validate=True))
                except ValueError:
                    raise CodecError("%s: not base64: %r" % (path, value)) from None
            raise CodecError("%s: expected base64 text or bytes, got %r" % (path, value))
        if name == "timestamp":
            return encode_varint(zigzag_encode(_timestamp_micros(value)))
        if name == "uuid":
            if isinstance(value, _uuid.UUID):
                return length_delimited(value.bytes)
            if isinstance(value, str) and re.fullmatch(
                    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", value):
                return length_delimited(bytes.fromhex(value.replace("-", "")))
            raise CodecError("%s: expected a UUID string, got %r" % (path, value))
        raise CodecError("%s: unknown scalar %r" % (path, name))
    if kind == "named":
        enum = schema.enums.get(t[1])
        if enum is not None:
            if not isinstance(value, str) or value not in enum.by_name:
                raise CodecError("%s: %r is not a case of %s" % (path, value, enum.name))
            return _encode_raw(enum.raw_type, enum.by_name[value], path)
        return length_delimited(_encode_fields(schema, t[1], value, path, depth + 1))
    if kind == "array":
        if not isinstance(value, (list, tuple)):
            raise CodecError("%s: expected an array, got %r" % (path, value))
        if len(value) > MAX_COUNT:
            raise CodecError("%s: container count limit exceeded" % path)
        parts = []
        for i, element in enumerate(value):
            if element is None:
                raise CodecError("%s[%d]: null elements cannot be encoded" % (path, i))
            parts.append(encode_bare(schema, t[1], element, "%s[%d]" % (path, i), depth + 1))
        return length_delimited(b"".join(parts))
    if kind == "map":
        if not isinstance(value, dict):
            raise CodecError("%s: expected an object, got %r" % (path, value))
        if len(value) > MAX_COUNT:
            raise CodecError("%s: container count limit exceeded" % path)
        key_type = t[1]
        entries = []
        for key, element in value.items():
            if key_type == "string":
                if not isinstance(key, str):
                    raise CodecError("%s: map key %r is not a string" % (path, key))
                sort_key = key.encode("utf-8")
            else:
                if isinstance(key, str):
                    if not re.fullmatch(r"-?[0-9]+", key):
                        raise CodecError("%s: map key %r is not a decimal integer" % (path, key))
                    key = int(key)
                sort_key = key
            entries.append((sort_key, key, element))
        entries.sort(key=lambda e: e[0])
        parts = []
        for _, key, element in entries:
            parts.append(encode_bare(schema, ("scalar", key_type), key, "%s.key" % path, depth + 1))
            parts.append(encode_bare(schema, t[2], element, "%s[%r]" % (path, key), depth + 1))
        return length_delimited(b"".join(parts))
    raise CodecError("%s: bad type %r" % (path, t))


def _encode_fields(schema, message, value, path, depth):
    if not isinstance(value, dict):
        raise CodecError("%s: expected an object for %s, got %r" % (path, message, value))
    fields = schema.fields(message)
    known = {f.name for f in fields}
    for name in value:
        if name not in known:
            raise CodecError("%s: no field %r" % (path or message, name))
    out = bytearray()
    for f in fields:
        v = value.get(f.name)
        field_path = f.name if path == "" else "%s.%s" % (path, f.name)
        if v is None:
            if f.optional:
                continue
            raise CodecError("missing required field '%s'%s" % (
                field_path, " (field number %d)" % f.number if f.number is not None else ""))
        wire_type = wire_type_of(schema, f.type)
        if f.number is not None:
            out += encode_varint((f.number << 3) | wire_type)
        else:
            out += encode_varint(wire_type) + length_delimited(f.name.encode("utf-8"))
        out += encode_bare(schema, f.type, v, field_path, depth)
    return bytes(out)


def encode_message(schema, message, value):
    """A top-level message: its fields, no length in front."""
    return _encode_fields(schema, message, value if value is not None else {}, "", 0)


# --------------------------------------------------------------------------------------------
# Decoding (bytes -> Python value in JSON form)


def _index_fields(buf, pos, end):
    """One pass over a message's fields: {number or name: (wire type, start, end)}, last wins."""
    found = {}
    count = 0
    while pos < end:
        key, pos = read_varint(buf, pos, end)
        number, wire_type = key >> 3, key & 7
        if number > MAX_FIELD_NUMBER:
            raise CodecError("malformed input: field number %d" % number)
        ident = number
        if number == 0:
            s, e = read_length_delimited(buf, pos, end)
            try:
                ident = ("name", bytes(buf[s:e]).decode("utf-8"))
            except UnicodeDecodeError:
                raise CodecError("malformed input: field name is not UTF-8") from None
            pos = e
        if wire_type == 0:
            start = pos
            _, pos = read_varint(buf, pos, end)
        elif wire_type in (1, 5):
            size = 8 if wire_type == 1 else 4
            if size > end - pos:
                raise CodecError("truncated input")
            start, pos = pos, pos + size
        elif wire_type == 2:
            start, pos = read_length_delimited(buf, pos, end)
        else:
            raise CodecError("malformed input: wire type %d" % wire_type)
        count += 1
        if count > MAX_COUNT:
            raise CodecError("container count limit exceeded")
        found[ident] = (wire_type, start, pos)
    return found


def _decode_fields(schema, message, buf, pos, end, path, depth):
    if depth > MAX_DEPTH:
        raise CodecError("depth limit exceeded")
    found = _index_fields(buf, pos, end)
    result = {}
    for f in schema.fields(message):
        ident = f.number if f.number is not None else ("name", f.name)
        field_path = f.name if path == "" else "%s.%s" % (path, f.name)
        hit = found.get(ident)
        if hit is None:
            if f.optional:
                continue
            raise CodecError("missing required field '%s'%s" % (
                field_path, " (field number %d)" % f.number if f.number is not None else ""))
        wire_type, start, stop = hit
        expected = wire_type_of(schema, f.type)
        if wire_type != expected:
            raise CodecError("wrong wire type for '%s': %d, expected %d" % (field_path, wire_type, expected))
        if wire_type == 2:
            # The index holds the payload; give the value decoder the whole length-delimited value.
            value, _ = _decode_payload(schema, f.type, buf, start, stop, field_path, depth)
        else:
            value, used = decode_bare(schema, f.type, buf, start, stop, field_path, depth)
        result[f.name] = value
    return result


def _decode_payload(schema, t, buf, start, end, path, depth):
    """Decodes a wire-type-2 value whose payload is buf[start:end]."""
    kind = t[0]
    if kind == "scalar":
        name = t[1]
        raw = bytes(buf[start:end])
        if name == "string":
            try:
                return raw.decode("utf-8"), end
            except UnicodeDecodeError:
                raise CodecError("%s: invalid UTF-8" % path) from None
        if name == "bytes":
            return base64.b64encode(raw).decode("ascii"), end
        if name == "uuid":
            if len(raw) != 16:
                raise CodecError("%s: a UUID is 16 bytes, not %d" % (path, len(raw)))
            return str(_uuid.UUID(bytes=raw)).upper(), end
        raise CodecError("%s: %s is not length-delimited" % (path, name))
    if kind == "named":
        enum = schema.enums.get(t[1])
        if enum is not None:  # a string-valued enum
            raw = bytes(buf[start:end]).decode("utf-8")
            if raw not in enum.by_raw:
                raise CodecError("%s: unknown enum value %r for %s" % (path, raw, enum.name))
            return enum.by_raw[raw], end
        return _decode_fields(schema, t[1], buf, start, end, path, depth + 1), end
    if kind == "array":
        items = []
        pos = start
        while pos < end:
            if len(items) >= MAX_COUNT:
                raise CodecError("%s: container count limit exceeded" % path)
            value, pos = decode_bare(schema, t[1], buf, pos, end, "%s[%d]" % (path, len(items)), depth + 1)
            items.append(value)
        return items, end
    if kind == "map":
        result = {}
        pos = start
        count = 0
        while pos < end:
            count += 1
            if count > MAX_COUNT:
                raise CodecError("%s: container count limit exceeded" % path)
            key, pos = decode_bare(schema, ("scalar", t[1]), buf, pos, end, "%s.key" % path, depth + 1)
            value, pos = decode_bare(schema, t[2], buf, pos, end, "%s[%r]" % (path, key), depth + 1)
            result[str(key)] = value  # last entry wins
        # Output sorted by key as on the wire.
        if t[1] == "string":
            ordered = sorted(result, key=lambda k: k.encode("utf-8"))
        else:
            ordered = sorted(result, key=int)
        return {k: result[k] for k in ordered}, end
    raise CodecError("%s: bad type %r" % (path, t))


def decode_bare(schema, t, buf, pos, end, path="value", depth=0):
    """Decodes one bare value at buf[pos:end]; returns (value, position after it)."""
    if depth > MAX_DEPTH:
        raise CodecError("depth limit exceeded")
    wire_type = wire_type_of(schema, t)
    if wire_type == 2:
        s, e = read_length_delimited(buf, pos, end)
        return _decode_payload(schema, t, buf, s, e, path, depth)
    if wire_type == 5:
        if end - pos < 4:
            raise CodecError("truncated input")
        return _float_to_json(struct.unpack_from("<f", buf, pos)[0], True), pos + 4
    if wire_type == 1:
        if end - pos < 8:
            raise CodecError("truncated input")
        return _float_to_json(struct.unpack_from("<d", buf, pos)[0], False), pos + 8
    u, pos = read_varint(buf, pos, end)
    kind = t[0]
    if kind == "named":
        enum = schema.enums[t[1]]
        raw = zigzag_decode(u) if enum.raw_type in SIGNED else u
        if raw not in enum.by_raw:
            raise CodecError("unknown enum value %d for '%s' (%s)" % (raw, path, enum.name))
        return enum.by_raw[raw], pos
    name = t[1]
    if name == "bool":
        if u > 1:
            raise CodecError("%s: value out of range for bool: %d" % (path, u))
        return u == 1, pos
    if name == "timestamp":
        return format_timestamp(zigzag_decode(u)), pos
    if name in SIGNED:
        n = zigzag_decode(u)
        bits = SIGNED[name]
        if not -(1 << (bits - 1)) <= n < (1 << (bits - 1)):
            raise CodecError("%s: value out of range for %s: %d" % (path, name, n))
        return n, pos
    if name in UNSIGNED:
        if u >= 1 << UNSIGNED[name]:
            raise CodecError("%s: value out of range for %s: %d" % (path, name, u))
        return u, pos
    raise CodecError("%s: bad varint type %r" % (path, name))


def decode_message(schema, message, data):
    """Decodes a top-level message (its fields, no length in front) to a dict."""
    buf = memoryview(data) if not isinstance(data, memoryview) else data
    return _decode_fields(schema, message, buf, 0, len(buf), "", 0)


# --------------------------------------------------------------------------------------------
# Frames (WIRE.md "Connections and frames")

HELLO, CALL_START, MESSAGE, HALF_CLOSE, TRAILER, CANCEL, PING, PONG, GOAWAY = range(1, 10)
FRAME_NAMES = {1: "HELLO", 2: "CALL_START", 3: "MESSAGE", 4: "HALF_CLOSE", 5: "TRAILER",
               6: "CANCEL", 7: "PING", 8: "PONG", 9: "GOAWAY"}
END_STREAM = 0x01
HEADER = struct.Struct(">IBBI")
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024
MAGIC = "profiled-rpc"
VERSION = 1


def encode_frame(frame_type, call_id, payload=b"", flags=0):
    return HEADER.pack(len(payload), frame_type, flags, call_id) + payload


class FrameReader:
    """Reads whole frames from a stream socket, checking the length before reading the payload."""

    def __init__(self, sock, max_frame_size=DEFAULT_MAX_FRAME_SIZE):
        self.sock = sock
        self.max_frame_size = max_frame_size

    def _read_exactly(self, n):
        chunks = []
        while n:
            chunk = self.sock.recv(min(n, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def read(self):
        """Returns (type, flags, call id, payload), or None at a clean end of stream."""
        header = self._read_exactly(HEADER.size)
        if header is None:
            return None
        length, frame_type, flags, call_id = HEADER.unpack(header)
        if length > self.max_frame_size:
            raise ProtocolError("frame of %d bytes exceeds the maximum frame size %d" % (length, self.max_frame_size))
        payload = self._read_exactly(length) if length else b""
        if payload is None:
            raise ProtocolError("connection closed in the middle of a frame")
        return frame_type, flags, call_id, payload


# --------------------------------------------------------------------------------------------
# The client

class Call:
    """One call on a connection. Frames for it arrive on `self._queue` from the reader thread.

    Use `result()` for unary calls, iterate for streaming calls; `cancel()` abandons it.
    After the call ended, `trailer` holds the decoded Trailer and `trailing_metadata` its metadata.
    """

    # How long past its deadline a call waits for the server's DEADLINE_EXCEEDED trailer before
    # giving up locally.
    LOCAL_GRACE = 0.25

    def __init__(self, client, call_id, method, deadline):
        self.client = client
        self.call_id = call_id
        self.method = method
        self.deadline = deadline  # time.monotonic() value or None
        self._queue = queue.Queue()
        self.trailer = None
        self.trailing_metadata = {}
        self.error = None
        self.done = False

    # -- sending (client-streaming and bidirectional calls use these directly)

    def send(self, message, end_stream=False):
        payload = self.client._encode_request(self.method, message)
        self.client._send(MESSAGE, self.call_id, payload, END_STREAM if end_stream else 0)

    def half_close(self):
        self.client._send(HALF_CLOSE, self.call_id)

    def cancel(self):
        """Abandons the call: sends CANCEL (the server sends no trailer) and ends it locally."""
        if not self.done:
            self.done = True
            self.error = RPCError(1, "CANCELLED", "cancelled by the client")
            self.client._forget(self.call_id)
            try:
                self.client._send(CANCEL, self.call_id)
            except (OSError, RPCError):
                pass

    # -- receiving

    def _next_event(self):
        timeout = None
        if self.deadline is not None:
            # The server sends DEADLINE_EXCEEDED when the deadline passes; wait a little longer for
            # it, then give up locally (a server that hangs must not hang the client).
            timeout = max(0.0, self.deadline + Call.LOCAL_GRACE - time.monotonic())
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            self.cancel()
            self.error = RPCError(4, "DEADLINE_EXCEEDED", "deadline exceeded (no trailer from the server)")
            raise self.error from None

    def __iter__(self):
        """Yields each response message (decoded); raises RPCError if the trailer is not OK."""
        try:
            while True:
                if self.done:
                    if self.error is not None:
                        raise self.error
                    return
                kind, value = self._next_event()
                if kind == "message":
                    if self.method.response_type is None:
                        yield bytes(value)
                    else:
                        yield decode_message(self.client.schema, self.method.response_type, value)
                elif kind == "trailer":
                    self._finish(value)
                elif kind == "error":
                    self.done = True
                    self.error = value
        finally:
            if not self.done:  # the caller stopped iterating early: abandon the call
                self.cancel()

    def _finish(self, trailer):
        self.done = True
        self.trailer = trailer
        self.trailing_metadata = trailer.get("metadata", {})
        if trailer["code"] != 0:
            self.error = RPCError.from_code(
                trailer["code"], trailer["message"], trailer.get("details"), self.trailing_metadata)

    def result(self):
        """The single response of a unary (or client-streaming) call."""
        messages = list(self)
        if len(messages) != 1:
            raise RPCError(13, "INTERNAL", "expected one response message, got %d" % len(messages))
        return messages[0]


class Client:
    """A connection to profiled.

        with Client("/run/profiled.sock") as client:
            client.call("Health/Check", {})                       # -> {'status': 'serving'}
            for m in client.stream("Diagnostics/Generate", {"count": 3, "size": 4}): ...

    `schema`: a `Schema` (e.g. `Schema.parse(open("proto/profile.schema").read())`); when None,
    the client asks the server's Reflection service for each method's types on first use.
    Calls are thread-safe; `start()` begins a call without waiting, so one thread can run many.
    """

    def __init__(self, socket_path, schema=None, connect_timeout=10.0):
        self.socket_path = socket_path
        self.schema = Schema.parse(REFLECTION_SCHEMA_TEXT)
        self._reflect = schema is None
        if schema is not None:
            self.schema.merge(schema)
        self._control = control_schema()
        self._send_lock = threading.Lock()
        self._state_lock = threading.Lock()
        self._calls = {}
        self._next_id = 1
        self._closed_error = None  # set once the connection can take no new calls
        self._goaway = None
        self.server_hello = None
        self._hello_event = threading.Event()
        self._pings = {}
        # This client announces no maxFrameSize, so it receives frames up to the 4 MiB default.
        self.peer_max_frame_size = DEFAULT_MAX_FRAME_SIZE
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(connect_timeout)
        try:
            self.sock.connect(socket_path)
        except OSError:
            self.sock.close()
            raise
        self.sock.settimeout(None)
        self._reader = FrameReader(self.sock, DEFAULT_MAX_FRAME_SIZE)
        hello = {"magic": MAGIC, "version": VERSION}
        self._send(HELLO, 0, encode_message(self._control, "Hello", hello))
        self._thread = threading.Thread(target=self._read_loop, name="profiled-reader", daemon=True)
        self._thread.start()
        if not self._hello_event.wait(connect_timeout):
            self.close()
            raise ProtocolError("no HELLO from the server within %.1f s" % connect_timeout)
        if self.server_hello is None:
            error = self._closed_error
            self.close()
            raise error or ProtocolError("connection closed before the server's HELLO")
        if self.server_hello.get("maxFrameSize") is not None:
            self.peer_max_frame_size = self.server_hello["maxFrameSize"]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        with self._state_lock:
            if self._closed_error is None:
                self._closed_error = RPCError(14, "UNAVAILABLE", "the client closed the connection")
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    # -- schema via reflection

    def _ensure_method(self, name):
        try:
            return self.schema.method(name)
        except KeyError:
            if not self._reflect:
                raise
        path = name if "/" in name else name.replace(".", "/", 1)
        service, _, method_name = path.partition("/")
        try:
            described = self.describe(path.replace("/", ".", 1))
        except RPCError as error:
            if error.code != 5:  # NOT_FOUND
                raise
            described = {}
        if described.get("method") is None:
            # Unknown to reflection: still send the call (with an empty or raw-bytes request) so
            # the server gives its own answer (UNIMPLEMENTED); responses come back as raw bytes.
            return Method(service, method_name, "unary", None, None)
        self.schema.add_method_description(described["method"])
        return self.schema.method(path)

    def describe(self, name):
        """`Reflection/Describe`: a service, method, message or enum by name; adds its types."""
        described = self.call("Reflection/Describe", {"name": name})
        self.schema.add_schema_set(described["types"])
        return described

    def load_schema(self):
        """Fetches every service, method and type from the server (ListServices + Describe)."""
        services = self.call("Reflection/ListServices", {})["services"]
        for service in services:
            for method in service["methods"]:
                self.schema.add_method_description(method)
            self.describe(service["name"])
        return services

    # -- calls

    def start(self, method, request=None, metadata=None, timeout=None):
        """Starts a call and returns its `Call` without waiting for the response.

        Unary and server-streaming calls send `request` with END_STREAM; for client-streaming and
        bidirectional calls pass `request=None` and use `call.send(...)` and `call.half_close()`.
        `timeout` is in seconds (sent as `timeoutMicroseconds`, enforced by the server).
        """
        m = self._ensure_method(method)
        payload = None
        if request is not None or m.kind in ("unary", "serverStreaming"):
            payload = self._encode_request(m, request)
            if len(payload) > self.peer_max_frame_size:
                raise RPCError(8, "RESOURCE_EXHAUSTED", "request of %d bytes exceeds the server's maximum frame size %d"
                               % (len(payload), self.peer_max_frame_size))
        start = {"method": m.path, "metadata": {str(k).lower(): str(v) for k, v in (metadata or {}).items()}}
        deadline = None
        if timeout is not None:
            start["timeoutMicroseconds"] = int(round(timeout * 1_000_000))
            deadline = time.monotonic() + timeout
        start_payload = encode_message(self._control, "CallStart", start)
        # Call ids must increase in the order the CALL_STARTs go out, so the id is taken and the
        # frame sent under one lock.
        with self._send_lock:
            with self._state_lock:
                if self._closed_error is not None:
                    raise self._closed_error
                call_id = self._next_id
                self._next_id += 1
                call = Call(self, call_id, m, deadline)
                self._calls[call_id] = call
            frames = encode_frame(CALL_START, call_id, start_payload)
            if payload is not None:
                frames += encode_frame(MESSAGE, call_id, payload, END_STREAM)
            self._sendall(frames)
        return call

    def call(self, method, request=None, metadata=None, timeout=None, with_trailer=False):
        """A unary call: returns the response dict (and the Call, when `with_trailer`)."""
        c = self.start(method, request, metadata, timeout)
        response = c.result()
        return (response, c) if with_trailer else response

    def stream(self, method, request=None, metadata=None, timeout=None):
        """A server-streaming call: an iterator over the response dicts."""
        return iter(self.start(method, request, metadata, timeout))

    def ping(self, data=b"pingpong", timeout=5.0):
        """Sends PING and waits for the PONG with the same 8 bytes; returns the round trip in seconds."""
        if len(data) != 8:
            raise ValueError("a PING carries exactly 8 bytes")
        event = threading.Event()
        with self._state_lock:
            self._pings[bytes(data)] = event
        began = time.monotonic()
        self._send(PING, 0, bytes(data))
        if not event.wait(timeout):
            raise RPCError(4, "DEADLINE_EXCEEDED", "no PONG within %.1f s" % timeout)
        return time.monotonic() - began

    # -- plumbing

    def _encode_request(self, method, request):
        if isinstance(request, (bytes, bytearray, memoryview)):
            return bytes(request)  # already encoded
        if method.request_type is None:
            if request:
                raise KeyError("no schema for method %s: pass the request as encoded bytes" % method.path)
            return b""
        return encode_message(self.schema, method.request_type, request or {})

    def _sendall(self, data):
        try:
            self.sock.sendall(data)
        except OSError as error:
            raise RPCError(14, "UNAVAILABLE", "connection lost: %s" % error) from None

    def _send(self, frame_type, call_id, payload=b"", flags=0):
        with self._send_lock:
            self._sendall(encode_frame(frame_type, call_id, payload, flags))

    def _forget(self, call_id):
        with self._state_lock:
            self._calls.pop(call_id, None)

    def _read_loop(self):
        try:
            while True:
                frame = self._reader.read()
                if frame is None:
                    error = RPCError(14, "UNAVAILABLE", "the server closed the connection")
                    break
                self._dispatch(*frame)
        except ProtocolError as e:
            error = RPCError(13, "INTERNAL", str(e))
            try:  # tell the server why before closing, as WIRE.md's limits table does
                code = 8 if "maximum frame size" in str(e) else 13
                self._send(GOAWAY, 0, encode_message(
                    self._control, "GoAway", {"lastCallID": 0, "code": code, "message": str(e)}))
            except RPCError:
                pass
        except (OSError, CodecError) as e:
            error = RPCError(14, "UNAVAILABLE", "connection lost: %s" % e)
        with self._state_lock:
            if self._goaway is not None and self._goaway["code"] != 0:
                error = self._closed_error  # the server said why it closed
            if self._closed_error is None:
                self._closed_error = error
            calls = list(self._calls.values())
            self._calls.clear()
        for call in calls:
            call._queue.put(("error", error))
        self._hello_event.set()

    def _dispatch(self, frame_type, flags, call_id, payload):
        if frame_type == HELLO:
            if self.server_hello is not None:
                raise ProtocolError("second HELLO")
            hello = decode_message(self._control, "Hello", payload)
            if hello["magic"] != MAGIC:
                raise ProtocolError("wrong magic %r" % hello["magic"])
            self.server_hello = hello
            self._hello_event.set()
        elif frame_type in (MESSAGE, TRAILER):
            with self._state_lock:
                call = self._calls.get(call_id)
                if call is not None and frame_type == TRAILER:
                    del self._calls[call_id]
            if call is None:
                return  # a call that has ended (e.g. cancelled): ignored
            if frame_type == MESSAGE:
                call._queue.put(("message", payload))
            else:
                call._queue.put(("trailer", decode_message(self._control, "Trailer", payload)))
        elif frame_type == PING:
            self._send(PONG, 0, payload)
        elif frame_type == PONG:
            with self._state_lock:
                event = self._pings.pop(bytes(payload), None)
            if event is not None:
                event.set()
        elif frame_type == GOAWAY:
            # No new calls on this connection from now on. With code OK (draining) calls up to
            # lastCallID finish normally and later ones get TRAILER UNAVAILABLE; with an error code
            # the server still sends trailers for the calls in flight before it closes. Either way
            # the calls wait for their trailers; any left when the connection ends get this error.
            goaway = decode_message(self._control, "GoAway", payload)
            if goaway["code"] == 0:
                error = RPCError(14, "UNAVAILABLE", "the server is draining (GOAWAY): %s" % goaway["message"])
            else:
                error = RPCError.from_code(goaway["code"], "the server closed the connection: %s" % goaway["message"])
            with self._state_lock:
                self._goaway = goaway
                self._closed_error = error
        else:
            raise ProtocolError("unexpected %s frame from the server" % FRAME_NAMES.get(frame_type, hex(frame_type)))
