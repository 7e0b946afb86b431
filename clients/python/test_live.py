#!/usr/bin/env python3
"""Checks the Python client against a running profiled (the caller must be a trusted uid).

    PROFILED_SOCKET=/tmp/profiled.sock python3 clients/python/test_live.py

Skips every test when PROFILED_SOCKET is not set.
"""

import base64
import os
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import profiled_client as pc  # noqa: E402

SOCKET = os.environ.get("PROFILED_SOCKET")


@unittest.skipUnless(SOCKET, "set PROFILED_SOCKET to a running profiled")
class Live(unittest.TestCase):
    def setUp(self):
        self.client = pc.Client(SOCKET)

    def tearDown(self):
        self.client.close()

    def test_two_streams_interleaved_on_one_thread(self):
        a = iter(self.client.start("Diagnostics/Generate", {"count": 3, "size": 1}))
        b = iter(self.client.start("Diagnostics/Generate", {"count": 4, "size": 2}))
        got = [next(a), next(b), next(a), next(b)]
        self.assertEqual(got, [{"payload": "Kg=="}, {"payload": "Kio="}] * 2)
        self.assertEqual(len(list(a)), 1)
        self.assertEqual(len(list(b)), 2)

    def test_many_threads_share_the_connection(self):
        errors = []

        def worker(n):
            try:
                for i in range(20):
                    payload = bytes([n, i])
                    echoed = self.client.call("Diagnostics/Echo", {"payload": payload})
                    if base64.b64decode(echoed["payload"]) != payload:
                        errors.append((n, i, echoed))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])

    def test_deadline(self):
        began = time.monotonic()
        with self.assertRaises(pc.RPCError) as raised:
            for _ in self.client.stream("Health/Watch", {}, timeout=0.2):
                pass
        self.assertEqual((raised.exception.code, raised.exception.name), (4, "DEADLINE_EXCEEDED"))
        self.assertLess(time.monotonic() - began, 2)
        with self.assertRaises(pc.RPCError) as raised:
            self.client.call("Health/Check", {}, timeout=0)
        self.assertEqual(raised.exception.code, 4)

    def test_cancel_leaves_the_connection_usable(self):
        watch = self.client.start("Health/Watch", {})
        stream = iter(watch)
        self.assertEqual(next(stream), {"status": "serving"})
        watch.cancel()
        with self.assertRaises(pc.RPCError) as raised:
            next(stream)
        self.assertEqual(raised.exception.name, "CANCELLED")
        self.assertEqual(self.client.call("Health/Check", {}), {"status": "serving"})

    def test_errors_carry_details_and_metadata_is_sent(self):
        with self.assertRaises(pc.RPCError) as raised:
            self.client.call("Diagnostics/Generate", {"count": 0, "size": 1}, metadata={"Request-ID": "py-live"})
        error = raised.exception
        self.assertEqual((error.code, error.name), (3, "INVALID_ARGUMENT"))
        self.assertEqual(error.details["fieldViolations"][0]["field"], "count")
        with self.assertRaises(pc.RPCError) as raised:
            self.client.call("Health/Nope", {})
        self.assertEqual((raised.exception.code, raised.exception.name), (12, "UNIMPLEMENTED"))

    def test_ping(self):
        self.assertLess(self.client.ping(b"py-ping!"), 5)

    def test_reflection_matches_profile_schema(self):
        with open(os.path.join(ROOT, "proto", "profile.schema"), encoding="utf-8") as f:
            from_file = pc.Schema.parse(f.read())
        self.client.load_schema()
        from_server = self.client.schema

        def shape(schema):
            return (
                {k: [(f.name, f.number, f.type_string, f.optional) for f in v] for k, v in schema.messages.items()},
                {k: (e.raw_type, e.cases) for k, e in schema.enums.items()},
                {k: (m.kind, m.request_type, m.response_type, m.trusted) for k, m in schema.methods.items()})

        self.assertEqual(shape(from_server), shape(from_file))

    def test_a_client_with_a_schema_file_needs_no_reflection(self):
        with open(os.path.join(ROOT, "proto", "profile.schema"), encoding="utf-8") as f:
            schema = pc.Schema.parse(f.read())
        with pc.Client(SOCKET, schema=schema) as client:
            call = client.start("Health/Check", {"service": "Health"})
            self.assertEqual(call.call_id, 1)
            self.assertEqual(call.result(), {"status": "serving"})
            self.assertEqual(call.trailer, {"code": 0, "message": "", "metadata": {}})


if __name__ == "__main__":
    unittest.main(verbosity=1)
