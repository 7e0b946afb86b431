import ProfileAPI
import Testing

@Suite struct DefaultLocationsTests {
  @Test func explicitVariablesWin() {
    let environment = ["PROFILED_DATA_DIR": "/srv/p", "PROFILED_SOCKET": "/run/p.sock", "HOME": "/home/u"]
    #expect(DefaultLocations.dataDirectory(environment: environment) == "/srv/p")
    #expect(DefaultLocations.socketPath(environment: environment) == "/run/p.sock")
  }

  @Test func xdgDirectoriesComeNext() {
    let environment = ["XDG_DATA_HOME": "/home/u/.data", "XDG_RUNTIME_DIR": "/run/user/1000", "HOME": "/home/u"]
    #expect(DefaultLocations.dataDirectory(environment: environment) == "/home/u/.data/profiled")
    #expect(DefaultLocations.socketPath(environment: environment) == "/run/user/1000/profiled.sock")
  }

  @Test func homeIsTheLastResort() {
    let environment = ["HOME": "/home/u"]
    #expect(DefaultLocations.dataDirectory(environment: environment) == "/home/u/.local/share/profiled")
    #expect(DefaultLocations.socketPath(environment: environment) == "/home/u/.local/share/profiled/profiled.sock")
  }
}
