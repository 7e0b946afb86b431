internal import Glibc

/// Reads from Linux's `/proc`: process memory figures and machine facts.
enum ProcFS {
  /// The most bytes `readFile` returns; `/proc` text files are far smaller.
  static let maximumFileBytes = 1 << 20

  /// The whole text of a (small) file.
  static func readFile(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw BenchError.systemCall("open", path, code: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16 * 1024)
    while bytes.count < maximumFileBytes {
      let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if count > 0 {
        bytes.append(contentsOf: chunk[0..<count])
      } else if count == 0 {
        break
      } else if errno != EINTR {
        throw BenchError.systemCall("read", path, code: errno)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The peak resident set size (`VmHWM`) of process `pid`, in KiB.
  ///
  /// Read it while the process runs: an exited process (even unreaped) no longer reports it.
  static func peakResidentKiB(of pid: pid_t) throws -> Int {
    let path = "/proc/\(pid)/status"
    let status = try readFile(path)
    guard let value = field("VmHWM", in: status),
      let kib = Int(value.split(separator: " ").first ?? "")
    else {
      throw BenchError.protocolViolation("\(path) has no VmHWM line (has the process exited?)")
    }
    return kib
  }

  /// The CPU time (user and system, every thread) process `pid` has used so far, from
  /// `/proc/PID/stat`, in steps of one clock tick (`sysconf(_SC_CLK_TCK)`, 10 ms on Linux).
  static func cpuTime(of pid: pid_t) throws -> Duration {
    let path = "/proc/\(pid)/stat"
    let stat = try readFile(path)
    guard let ticks = cpuTicks(inStat: stat) else {
      throw BenchError.protocolViolation("\(path) has no utime and stime fields: \(stat.prefix(200))")
    }
    let perSecond = max(1, sysconf(Int32(_SC_CLK_TCK)))
    return .nanoseconds(ticks * (1_000_000_000 / perSecond))
  }

  /// utime + stime (fields 14 and 15) of a `/proc/PID/stat` line. The command name (field 2)
  /// may hold spaces and parentheses, so fields are counted after its last ')'.
  static func cpuTicks(inStat stat: String) -> Int? {
    guard let close = stat.lastIndex(of: ")") else { return nil }
    // After ')': field 3 (state) is the first, so utime and stime are the 12th and 13th.
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count >= 13, let user = Int(fields[11]), let system = Int(fields[12]),
      user >= 0, system >= 0
    else { return nil }
    return user + system
  }

  /// The CPU time (user and system, every thread) this process has used so far.
  static func ownCPUTime() -> Duration {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .zero }
    func duration(_ time: timeval) -> Duration {
      .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec))
    }
    return duration(usage.ru_utime) + duration(usage.ru_stime)
  }

  /// CPUs this process may run on, as `nproc` counts them (the `Cpus_allowed` mask).
  static func usableProcessorCount() -> Int? {
    guard let status = try? readFile("/proc/self/status"),
      let mask = field("Cpus_allowed", in: status)
    else { return nil }
    var count = 0
    for character in mask where character != "," {
      guard let digit = character.hexDigitValue else { return nil }
      count += digit.nonzeroBitCount
    }
    return count
  }

  /// The 1, 5 and 15-minute load averages, "0.12 0.30 0.25": other work on the machine skews
  /// the figures, so the report shows it.
  static func loadAverages() -> String? {
    guard let text = try? readFile("/proc/loadavg") else { return nil }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
  }

  /// The CPU model name from `/proc/cpuinfo`, if it has one.
  static func processorModel() -> String? {
    guard let info = try? readFile("/proc/cpuinfo") else { return nil }
    return field("model name", in: info)
  }

  /// The type and device of the filesystem holding `path`, "ext4 on /dev/vda", from the
  /// longest mount point in `/proc/self/mounts` that contains it: fsync costs depend on it
  /// (on tmpfs it costs nothing).
  static func fileSystem(of path: String) -> String? {
    guard let mounts = try? readFile("/proc/self/mounts") else { return nil }
    var best: (mountPoint: Substring, description: String)?
    for line in mounts.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard fields.count >= 3 else { continue }
      let mountPoint = fields[1]
      let contains =
        mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
      if contains && mountPoint.count >= (best?.mountPoint.count ?? 0) {
        best = (mountPoint, "\(fields[2]) on \(fields[0])")
      }
    }
    return best?.description
  }

  /// `text` without leading and trailing blanks (spaces and tabs).
  private static func trimmed(_ text: Substring) -> String {
    var slice = text
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }

  /// The value of the first `name:` line of a `/proc` text file, trimmed.
  private static func field(_ name: String, in text: String) -> String? {
    for line in text.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      if trimmed(line[..<colon]) == name { return trimmed(line[line.index(after: colon)...]) }
    }
    return nil
  }
}
