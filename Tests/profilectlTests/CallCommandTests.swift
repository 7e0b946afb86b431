internal import Foundation
internal import Testing

@Suite("profilectl call")
struct CallCommandTests {
  @Test("a unary call prints the response as pretty JSON")
  func unary() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("call", "Health.Check", "{}")
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout == "{\n  \"status\": \"serving\"\n}\n", "\(result)")
      #expect(result.stderr.isEmpty, "\(result)")
    }
  }

  @Test("JSON comes from standard input with - or with no argument", arguments: [["-"], []])
  func standardInput(jsonArgument: [String]) async throws {
    try await TestServer.with { server in
      let result = try await ProfilectlProcess.run(
        ["--socket", server.socketPath, "call", "Health/Check"] + jsonArgument,
        stdin: "{\"service\": \"Reflection\"}\n")
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.contains("\"status\": \"serving\""), "\(result)")
    }
  }

  @Test("nested messages and arrays come back as JSON")
  func nestedResponse() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("call", "Reflection.Describe", #"{"name":"Health.Check"}"#)
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout.contains("\"requestType\": \"Health.CheckRequest\""), "\(result)")
      #expect(result.stdout.contains("\"kind\": \"unary\""), "\(result)")
    }
  }

  @Test("a server stream prints one compact JSON object per line until --timeout")
  func serverStream() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("--timeout", "300ms", "call", "Health.Watch", "{}")
      #expect(result.status == 4, "\(result)")
      #expect(result.stdout == "{\"status\":\"serving\"}\n", "\(result)")
      #expect(result.stderr.hasPrefix("DEADLINE_EXCEEDED: "), "\(result)")
    }
  }

  @Test("a server stream that ends prints one line per response and exits 0")
  func finiteServerStream() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl(
        "call", "Diagnostics.Generate", #"{"count":3,"size":2}"#)
      #expect(result.status == 0, "\(result)")
      let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count == 4 && lines.last == "", "\(result)")
      #expect(lines.dropLast().allSatisfy { $0.hasPrefix(#"{"payload":""#) && $0.hasSuffix("}") }, "\(result)")
    }
  }

  @Test("bytes travel as base64 both ways")
  func bytes() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("call", "Diagnostics.Echo", #"{"payload":"aGVsbG8="}"#)
      #expect(result.status == 0, "\(result)")
      #expect(result.stdout == "{\n  \"payload\": \"aGVsbG8=\"\n}\n", "\(result)")
    }
  }

  @Test("an error's field violations are printed one per line under the status")
  func fieldViolations() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl(
        "call", "Accounts.SignUp",
        #"{"email":"not-an-email","password":"x","firstName":"Ada","lastName":"L"}"#)
      #expect(result.status == 3, "\(result)")
      #expect(result.stderr.hasPrefix("INVALID_ARGUMENT: "), "\(result)")
      #expect(result.stderr.contains("\n  email: "), "\(result)")
      #expect(result.stderr.contains("\n  password: "), "\(result)")
    }
  }

  @Test("an unknown method is UNIMPLEMENTED, exit 12", arguments: ["Health.Nope", "Nope/Check"])
  func unknownMethod(name: String) async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("call", name, "{}")
      let wireName = name.replacingOccurrences(of: ".", with: "/")
      #expect(result.status == 12, "\(result)")
      #expect(result.stderr.hasPrefix("UNIMPLEMENTED: unknown method '\(wireName)'"), "\(result)")
    }
  }

  @Test("a server error exits with its code: NOT_FOUND is 5")
  func serverError() async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("call", "Health.Check", #"{"service":"Nope"}"#)
      #expect(result.status == 5, "\(result)")
      #expect(result.stderr.hasPrefix("NOT_FOUND: unknown service 'Nope'"), "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
    }
  }

  @Test(
    "JSON that is malformed or does not match the schema is INVALID_ARGUMENT, exit 3",
    arguments: [
      (#"{"service":"#, "invalid JSON"),
      (#"{"nope":1}"#, "nope"),
      (#"{"service":5}"#, "service"),
      ("{} {}", "takes one Health.CheckRequest request; 2 JSON values were given"),
      ("", "no JSON value was given"),
    ])
  func invalidJSON(json: String, message: String) async throws {
    try await TestServer.with { server in
      let result = try await server.profilectl("call", "Health.Check", "-", stdin: json)
      #expect(result.status == 3, "\(result)")
      #expect(result.stderr.hasPrefix("INVALID_ARGUMENT: "), "\(result)")
      #expect(result.stderr.contains(message), "\(result)")
      #expect(result.stdout.isEmpty, "\(result)")
    }
  }
}
