public import Foundation

/// Where profiled keeps its data and socket when no flag says otherwise; profilectl uses the
/// same socket default, so the two find each other with no configuration.
public enum DefaultLocations {
  /// `$PROFILED_DATA_DIR`, else `$XDG_DATA_HOME/profiled`, else `~/.local/share/profiled`.
  public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let explicit = environment["PROFILED_DATA_DIR"], !explicit.isEmpty { return explicit }
    if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/profiled" }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.local/share/profiled"
  }

  /// `$PROFILED_SOCKET`, else `$XDG_RUNTIME_DIR/profiled.sock`, else `<data dir>/profiled.sock`.
  public static func socketPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let explicit = environment["PROFILED_SOCKET"], !explicit.isEmpty { return explicit }
    if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/profiled.sock" }
    return dataDirectory(environment: environment) + "/profiled.sock"
  }
}
