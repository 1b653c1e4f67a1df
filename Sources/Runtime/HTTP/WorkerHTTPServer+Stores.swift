import Foundation
import Hummingbird
import NIOCore

/// `/stores`: interactive queries of the worker's state stores (`InteractiveQueries`), JSON out.
extension WorkerHTTPServer {
    static func addStoreRoutes(to router: Router<BasicRequestContext>, queries: InteractiveQueries?) {
        router.get("/stores") { _, _ in
            guard let queries else { return notServed() }
            return response(queries.stores())
        }
        let storeQuery: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            guard let queries else { return notServed() }
            // The raw path, so that a key may hold an encoded `/` (`%2F`) and any other character.
            let segments = request.uri.path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            let store = segments.count > 2 ? decode(segments[2]) : ""
            let key = segments.count > 3 ? decode(segments[3]) : nil
            let parameters = request.uri.queryParameters.map { (decode($0.key), String($0.value)) }
            let pathAndQuery = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
            return response(await queries.query(store: store, key: key, parameters: parameters, pathAndQuery: pathAndQuery))
        }
        router.get("/stores/:store", use: storeQuery)
        router.get("/stores/:store/**", use: storeQuery)
    }

    private static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }

    private static func notServed() -> Response {
        response(QueryResponse.error(404, "this server does not serve store queries"))
    }

    private static func response(_ answer: QueryResponse) -> Response {
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if let location = answer.location { headers[.location] = location }
        if let retry = answer.retryAfter { headers[.retryAfter] = String(retry) }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: answer.body + "\n")))
    }
}
