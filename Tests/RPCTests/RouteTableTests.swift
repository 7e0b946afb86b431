import RPC
import Testing
import WireFormat

@Suite struct RouteTableTests {
  struct Empty: Codable, Sendable {}

  static func router(_ names: [(service: String, method: String)]) -> RPCRouter {
    var router = RPCRouter()
    for name in names {
      router.unary(
        MethodDescriptor<Empty, Empty>(service: name.service, method: name.method, kind: .unary)
      ) { _, _ in
        Empty()
      }
    }
    return router
  }

  static func find(_ table: RouteTable, _ name: String) -> (
    fullName: String, route: RPCRouter.Route
  )? {
    Array(name.utf8).withUnsafeBytes { table.route(named: $0) }
  }

  @Test func everyRegisteredNameIsFoundAndNothingElse() {
    // 300 routes: the table grows past its first size and probes past collisions.
    let names = (0..<300).map { (service: "Service\($0 % 7)", method: "Method\($0)") }
    let router = Self.router(names)
    let table = RouteTable(router.routes)
    for name in names {
      let fullName = "\(name.service)/\(name.method)"
      let found = Self.find(table, fullName)
      #expect(found?.fullName == fullName)
      #expect(found?.route.info.method == name.method)
      #expect(found?.route.info.service == name.service)
    }
    for unknown in [
      "", "Service0", "Service0/", "service0/Method0", "Service0/Method0 ", "Service0/Method00",
      "/Method0",
    ] {
      #expect(Self.find(table, unknown) == nil, "\(unknown)")
    }
  }

  @Test func anEmptyTableFindsNothing() {
    #expect(Self.find(RouteTable([:]), "Health/Check") == nil)
  }

  @Test func aCallStartTakesAKnownMethodNameAndDecodesAnyOther() throws {
    var bytes: [UInt8] = []
    CallStart(method: "Profile/GetProfile", metadata: ["k": "v"], timeoutMicroseconds: 7).encode(
      appendingTo: &bytes)
    var offered: [String] = []
    let known = try CallStart.decode(bytes) { name in
      offered.append(String(decoding: name, as: UTF8.self))
      return "Profile/GetProfile"
    }
    #expect(offered == ["Profile/GetProfile"])
    #expect(
      known == CallStart(method: "Profile/GetProfile", metadata: ["k": "v"], timeoutMicroseconds: 7)
    )
    let unknown = try CallStart.decode(bytes) { _ in nil }
    #expect(unknown.method == "Profile/GetProfile")
  }
}
