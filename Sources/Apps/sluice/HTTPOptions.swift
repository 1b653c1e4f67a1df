import ArgumentParser
import Foundation

/// `--http-host`, `--http-port`, `--advertised-url`: where `sluice run` serves its dashboard,
/// `/metrics`, `/api/*` and `/stores`, and the URL other workers send query clients to.
struct HTTPOptions: ParsableArguments {
    static let defaultPort = 8080

    @Option(help: "Address of the dashboard, /metrics and /stores (0.0.0.0 to serve other machines).")
    var httpHost = "127.0.0.1"

    @Option(help: "Port of the dashboard, /metrics and /stores; 0 takes any free port. Default: 8080, or a free port when 8080 is taken.")
    var httpPort: Int?

    @Option(help: "URL other workers and tools reach this worker at; a store query for a key held here is redirected to it (default: its own HTTP URL).")
    var advertisedURL: String?

    func validate() throws {
        if let httpPort, !(0...65535).contains(httpPort) { throw ValidationError("--http-port must be 0...65535") }
    }

    /// The port to bind: the one asked for, or the default when it is free, else 0 (any free port),
    /// so that several workers on one machine need no flags.
    func port() -> (port: Int, note: String?) {
        if let httpPort { return (httpPort, nil) }
        if Self.isFree(host: httpHost, port: Self.defaultPort) { return (Self.defaultPort, nil) }
        return (0, "port \(Self.defaultPort) is taken; serving on a free port instead")
    }

    /// Whether `host:port` can be bound now (IPv4 hosts; anything else is assumed free).
    static func isFree(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else { return true }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return bound == 0
    }
}
