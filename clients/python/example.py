#!/usr/bin/env python3
"""Exercises a running profiled with the Python client; prints one JSON line per step.

    python3 clients/python/example.py /tmp/profiled.sock

Exits 0 when every step gave the expected result, 1 otherwise (2 for bad usage). The schema comes
from the server's Reflection service, so no files are needed.
"""

import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from profiled_client import Client, RPCError  # noqa: E402

failures = []


def show(step, **fields):
    print(json.dumps({"step": step, **fields}, ensure_ascii=False, separators=(",", ":")), flush=True)


def expect(condition, what):
    if not condition:
        failures.append(what)
        show("unexpected", what=what)


def main():
    if len(sys.argv) != 2:
        print("usage: example.py SOCKET", file=sys.stderr)
        return 2
    with Client(sys.argv[1]) as client:
        show("hello", server=client.server_hello)

        health = client.call("Health/Check", {})
        show("Health/Check", response=health)
        expect(health == {"status": "serving"}, "Health/Check is serving")

        services = client.call("Reflection/ListServices", {})["services"]
        names = [s["name"] for s in services]
        show("Reflection/ListServices", services=names,
             methods=sum(len(s["methods"]) for s in services))
        expect({"Health", "Reflection", "Accounts", "Profile", "Diagnostics"} <= set(names),
               "ListServices names the core services")

        email = "py-%s@example.com" % uuid.uuid4().hex[:12]
        password = "python-client-1"
        signed_up = client.call("Accounts/SignUp", {
            "email": email, "password": password, "firstName": "Ada", "lastName": "Lovelace"})
        show("Accounts/SignUp", response=signed_up)
        expect(bool(signed_up.get("userId")), "SignUp returns a userId")

        signed_in, call = client.call(
            "Accounts/SignIn", {"email": email, "password": password},
            metadata={"request-id": "py-example-signin"}, timeout=10, with_trailer=True)
        token = signed_in.get("token")
        show("Accounts/SignIn", userId=signed_in["userId"], token=bool(token),
             expiresAt=signed_in.get("expiresAt"), trailingMetadata=call.trailing_metadata)
        expect(signed_in["userId"] == signed_up["userId"], "SignIn returns the same userId")
        expect(bool(token), "SignIn returns a token")

        profile = client.call("Profile/GetProfile", {}, metadata={"authorization": "Bearer %s" % token})
        show("Profile/GetProfile", response=profile)
        expect(profile.get("email") == email, "GetProfile returns the signed-up email")
        expect(profile.get("firstName") == "Ada", "GetProfile returns the first name")

        # Two calls in flight on the one connection: a stream and a unary call, interleaved.
        generated = client.start("Diagnostics/Generate", {"count": 5, "size": 8}, timeout=10)
        echo = client.start("Diagnostics/Echo", {"payload": b"interleaved"}, timeout=10)
        messages = list(generated)
        echoed = echo.result()
        for index, message in enumerate(messages):
            show("Diagnostics/Generate", index=index, response=message)
        expect(len(messages) == 5, "Generate streams 5 messages")
        expect(all(len(m["payload"]) == 12 for m in messages), "each payload is 8 bytes (12 in base64)")
        show("Diagnostics/Echo", response=echoed)
        expect(echoed.get("payload") == "aW50ZXJsZWF2ZWQ=", "Echo returns the payload")
        show("Generate/Echo call ids", generate=generated.call_id, echo=echo.call_id)

        try:
            client.call("Health/Nope", {})
            expect(False, "Health/Nope fails")
        except RPCError as error:
            show("Health/Nope", error={"code": error.code, "name": error.name, "message": error.message,
                                       "details": error.details})
            expect(error.code == 12 and error.name == "UNIMPLEMENTED", "Health/Nope is UNIMPLEMENTED (12)")

        try:
            client.call("Accounts/SignIn", {"email": email, "password": "wrong-password-1"})
            expect(False, "a wrong password fails")
        except RPCError as error:
            show("Accounts/SignIn wrong password",
                 error={"code": error.code, "name": error.name, "message": error.message})
            expect(error.code == 16, "a wrong password is UNAUTHENTICATED (16)")

    show("done", ok=not failures, failures=failures)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # any unexpected error: say what, exit non-zero
        show("error", type=type(error).__name__, message=str(error))
        sys.exit(1)
