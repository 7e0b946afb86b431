// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every Swift target: Swift 6 mode and the upcoming features the project relies on.
let settings: [SwiftSetting] = [
  .swiftLanguageMode(.v6),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
]

let package = Package(
  name: "profiled",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "profiled", targets: ["profiled"]),
    .executable(name: "profilectl", targets: ["profilectl"]),
    .executable(name: "profile-bench", targets: ["profile-bench"]),
    .library(name: "ProfileClient", targets: ["ProfileClient"]),
  ],
  targets: [
    // C libraries, only through system-library targets (CLinux: epoll, eventfd, SO_PEERCRED headers, thread names, spawn actions).
    .systemLibrary(
      name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
    .systemLibrary(
      name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),

    // The wire encoding and the RPC runtime.
    .target(name: "WireFormat", swiftSettings: settings),
    .target(name: "RPC", dependencies: ["WireFormat", "CLinux"], swiftSettings: settings),

    // The contract: messages and service descriptors shared by server and clients.
    .target(
      name: "ProfileAPI", dependencies: ["WireFormat", "RPC"], path: "proto/ProfileAPI",
      swiftSettings: settings),

    // The server side.
    .target(name: "CryptoPrimitives", dependencies: ["CLibCrypto"], swiftSettings: settings),
    .target(name: "ProfileStore", dependencies: ["CSQLite", "CLinux"], swiftSettings: settings),
    .target(
      name: "ProfileService",
      dependencies: ["WireFormat", "RPC", "ProfileAPI", "ProfileStore", "CryptoPrimitives"],
      swiftSettings: settings),
    .executableTarget(
      name: "profiled", dependencies: ["ProfileService", "RPC", "ProfileAPI", "CryptoPrimitives"],
      swiftSettings: settings),

    // The client side: never imports the store.
    .target(
      name: "ProfileClient", dependencies: ["WireFormat", "RPC", "ProfileAPI"],
      path: "clients/ProfileClient", swiftSettings: settings),
    .executableTarget(
      name: "profilectl", dependencies: ["ProfileClient", "WireFormat", "RPC", "ProfileAPI", "CryptoPrimitives"],
      path: "clients/profilectl", swiftSettings: settings),
    .executableTarget(
      name: "profile-bench",
      dependencies: ["ProfileClient", "ProfileService", "RPC", "ProfileAPI", "WireFormat", "CLinux"],
      path: "clients/profile-bench", swiftSettings: settings),

    // Tests mirror the modules.
    .testTarget(name: "WireFormatTests", dependencies: ["WireFormat"], swiftSettings: settings),
    .testTarget(name: "RPCTests", dependencies: ["RPC", "WireFormat"], swiftSettings: settings),
    .testTarget(
      name: "ProfileAPITests", dependencies: ["ProfileAPI", "WireFormat", "RPC"],
      swiftSettings: settings),
    .testTarget(
      name: "CryptoPrimitivesTests", dependencies: ["CryptoPrimitives"], swiftSettings: settings),
    .testTarget(name: "ProfileStoreTests", dependencies: ["ProfileStore"], swiftSettings: settings),
    .testTarget(
      name: "ProfileServiceTests",
      dependencies: ["ProfileService", "ProfileClient", "RPC", "ProfileAPI", "WireFormat"],
      swiftSettings: settings),
    .testTarget(
      name: "ProfileClientTests",
      dependencies: ["ProfileClient", "ProfileService", "RPC", "ProfileAPI"],
      swiftSettings: settings),
    .target(
      name: "Subprocesses", dependencies: ["CLinux"], path: "Tests/Support/Subprocesses",
      swiftSettings: settings),
    .testTarget(name: "SubprocessesTests", dependencies: ["Subprocesses"], swiftSettings: settings),
    .testTarget(name: "profile-benchTests", dependencies: ["profile-bench"], swiftSettings: settings),
    .testTarget(
      name: "profilectlTests", dependencies: ["profilectl", "profiled", "Subprocesses"],
      swiftSettings: settings),
    .testTarget(
      name: "profiledTests", dependencies: ["profiled", "ProfileClient", "ProfileAPI", "RPC", "Subprocesses"],
      swiftSettings: settings),
  ]
)
