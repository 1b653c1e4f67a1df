internal import CCurl

/// A response: status, body bytes, and where a redirect points.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// A 3xx response's `Location`, resolved against the request's URL. The client never follows
    /// redirects itself: the caller decides (a worker's 307 names the worker that owns a key).
    public var redirectURL: String? = nil
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A failure to exchange a request at all (connect, timeout); an HTTP error status is a response.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public let url: String
    public let reason: String
    public var description: String { "HTTP request to \(url) failed: \(reason)" }
}

/// A blocking HTTP/1.1 client over one libcurl easy handle (kept alive between requests).
///
/// libcurl rather than a Swift client: the sinks already need it (DESIGN.md §1), and a blocking
/// call suits the threads that use it (sinks, admin), which must not touch the concurrency pool.
/// - Important: not thread-safe; one thread uses one client.
public final class HTTPClient {
    private let easy: CurlEasy

    public init() throws(HTTPClientError) {
        easy = try CurlEasy()
    }

    /// Sends a request and reads the whole response.
    /// - Parameters:
    ///   - headers: `Name: value` lines.
    ///   - timeout: for the whole exchange.
    public func request(
        _ method: String, _ url: String, body: [UInt8]? = nil, headers: [String] = [],
        timeout: Duration = .seconds(10)
    ) throws(HTTPClientError) -> HTTPResponse {
        try easy.perform(method: method, url: url, body: body, headers: headers, timeout: timeout)
    }
}

@available(*, unavailable)
extension HTTPClient: Sendable {}

/// `curl_global_init` is not thread-safe; Swift runs a global's initializer exactly once.
private let curlGlobal: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// Owns one `CURL *` easy handle.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer

    init() throws(HTTPClientError) {
        guard curlGlobal == CURLE_OK, let h = curl_easy_init() else {
            throw HTTPClientError(url: "", reason: "libcurl could not be initialised")
        }
        handle = h
    }

    deinit { curl_easy_cleanup(handle) }

    func perform(
        method: String, url: String, body: [UInt8]?, headers: [String], timeout: Duration
    ) throws(HTTPClientError) -> HTTPResponse {
        curl_easy_reset(handle)
        let sink = ResponseSink()
        var list: UnsafeMutablePointer<curl_slist>?
        for h in headers { list = curl_slist_append(list, h) }
        defer { curl_slist_free_all(list) }
        let payload = body ?? []
        let code: CURLcode = url.withCString { urlPtr in
            method.withCString { methodPtr in
                payload.withUnsafeBytes { bytes in
                    _ = sluice_curl_setopt_ptr(handle, CURLOPT_URL, urlPtr)
                    _ = sluice_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                    let ms = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
                    _ = sluice_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(ms))
                    _ = sluice_curl_setopt_ptr(handle, CURLOPT_CUSTOMREQUEST, methodPtr)
                    if body != nil {
                        _ = sluice_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                        _ = sluice_curl_setopt_ptr(handle, CURLOPT_POSTFIELDS, bytes.baseAddress ?? UnsafeRawPointer(emptyBody))
                    }
                    if let list { _ = sluice_curl_setopt_ptr(handle, CURLOPT_HTTPHEADER, list) }
                    _ = sluice_curl_setopt_write(handle, curlWrite)
                    return withExtendedLifetime(sink) {
                        _ = sluice_curl_setopt_ptr(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
                        return curl_easy_perform(handle)
                    }
                }
            }
        }
        guard code == CURLE_OK else {
            throw HTTPClientError(url: url, reason: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = sluice_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>?
        // libcurl owns the string, until the next request on this handle: copy it now.
        let redirect = sluice_curl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location) == CURLE_OK ? location.map { String(cString: $0) } : nil
        return HTTPResponse(status: status, body: sink.bytes, redirectURL: redirect)
    }
}

/// A non-NULL pointer for an empty request body (libcurl would read a NULL as "use strlen").
nonisolated(unsafe) private let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

private final class ResponseSink {
    var bytes: [UInt8] = []
}

private func curlWrite(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
