import CryptoPrimitives
import Dispatch
import Foundation
import Glibc
import ProfileAPI
import ProfileService
import RPC

// profiled: parse flags, wire the services onto an RPC server, run until SIGTERM/SIGINT, then
// drain gracefully.

let options: ServerOptions
do {
  guard let parsed = try ServerOptions.parse(Array(CommandLine.arguments.dropFirst())) else {
    print(ServerOptions.usage, terminator: "")
    exit(0)
  }
  options = parsed
} catch {
  FileHandle.standardError.write(Data("profiled: \(error)\n\n\(ServerOptions.usage)".utf8))
  exit(64)
}

let logger = Logger(level: options.logLevel)

do {
  try FileManager.default.createDirectory(
    atPath: options.dataDirectory, withIntermediateDirectories: true,
    attributes: [.posixPermissions: 0o700])
  let socketDirectory = (options.socketPath as NSString).deletingLastPathComponent
  if !socketDirectory.isEmpty {
    try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
  }
} catch {
  logger.log(.error, "cannot create the data directory", ["path": options.dataDirectory, "error": "\(error)"])
  exit(1)
}

let profileServices: ProfileServices
do {
  var serviceConfiguration = ServiceConfiguration(dataDirectory: options.dataDirectory)
  serviceConfiguration.passwordHashing = PasswordHasher.Parameters(logN: options.scryptLogN, r: 8, p: 1)
  serviceConfiguration.exportWorkers = options.exportWorkers
  serviceConfiguration.exportTimeBudget = options.exportTimeBudget
  serviceConfiguration.onStoreFailure = { [logger] message in
    logger.log(
      .error, "the store can no longer make writes durable: every call that uses it fails and health is "
        + "NOT_SERVING until profiled restarts", ["error": message])
  }
  serviceConfiguration.onBackgroundFailure = { [logger] work, error in
    logger.log(.error, "background work failed", ["work": work, "error": error])
  }
  profileServices = try ProfileServices(configuration: serviceConfiguration)
} catch {
  logger.log(.error, "cannot open the data directory", ["path": options.dataDirectory, "error": "\(error)"])
  exit(1)
}

var configuration = ServerConfiguration(socketPath: options.socketPath)
configuration.socketMode = options.socketMode
configuration.trustedUIDs = options.trustedUIDs
configuration.shutdownGracePeriod = options.shutdownGrace
configuration.eventLoopCount = options.eventLoops
configuration.busyPoll = .microseconds(options.busyPollMicroseconds)
configuration.callObserver = { [logger] record in logger.call(record) }

// Handlers first: a SIGTERM that arrives once clients may connect is a request to drain.
let stop = ShutdownSignals.stream()
let server = RPCServer(configuration: configuration, services: profileServices.services)
do {
  try server.start()
} catch {
  logger.log(.error, "cannot listen", ["socket": options.socketPath, "error": "\(error)"])
  exit(1)
}
FileHandle.standardOutput.write(
  Data("profiled listening on \(options.socketPath) (data directory \(options.dataDirectory))\n".utf8))
logger.log(
  .info, "started",
  [
    "socket": options.socketPath, "data_dir": options.dataDirectory,
    "trusted_uids": options.trustedUIDs.sorted().map(String.init).joined(separator: ","),
    "busy_poll_us": String(options.busyPollMicroseconds),
  ])

// Wait for SIGTERM or SIGINT, then drain.
for await signalNumber in stop {
  logger.log(.info, "stopping", ["signal": ShutdownSignals.name(of: signalNumber)])
  break
}
profileServices.health.drain()
await server.shutdown()
await profileServices.close()
logger.reportHeldBack()
logger.log(.info, "stopped")
exit(0)
