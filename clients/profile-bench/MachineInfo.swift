internal import Glibc

/// Facts about the machine and the build, printed above the report so figures can be compared.
enum MachineInfo {
  /// "2 (of 2 online)", like `nproc`; the online count is the whole machine.
  static func processorSummary() -> String {
    let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    let onlineText = online > 0 ? "\(online)" : "unknown"
    if let usable = ProcFS.usableProcessorCount() {
      return "\(usable) (of \(onlineText) online)"
    }
    return "unknown (\(onlineText) online)"
  }

  /// Kernel name, release and machine, as `uname -srm` prints them.
  static func kernel() -> String {
    var names = utsname()
    guard uname(&names) == 0 else { return "unknown (uname failed: errno \(errno))" }
    func text<Field>(_ field: Field) -> String {
      withUnsafeBytes(of: field) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
    }
    return "\(text(names.sysname)) \(text(names.release)) \(text(names.machine))"
  }

  /// "release", or "debug" (whose figures say little about the real thing).
  static var buildConfiguration: String {
    #if DEBUG
      return "debug (figures are not representative; use -c release)"
    #else
      return "release"
    #endif
  }

  /// Local date and time, "2025-01-31 14:05:09 +0100".
  static func timestamp() -> String {
    var now = time(nil)
    var local = tm()
    guard localtime_r(&now, &local) != nil else { return "unknown (localtime_r failed)" }
    var buffer = [CChar](repeating: 0, count: 64)
    let length = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S %z", &local)
    guard length > 0 else { return "unknown (strftime failed)" }
    return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
