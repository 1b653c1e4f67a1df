import Foundation
import SluiceOperators

/// Talks to a `sluice broker` process's control channel (see `BrokerControlProtocol`).
/// - Important: blocking; one thread uses one client.
public final class BrokerControlClient {
    public let url: String
    private let http: HTTPClient

    public init(url: String) throws(KafkaError) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        do {
            http = try HTTPClient()
        } catch {
            throw KafkaError(.brokerControl, reason: error.description)
        }
    }

    /// The broker's bootstrap address and broker count.
    public func info() throws(KafkaError) -> (bootstrap: String, brokers: Int) {
        let info = try decode(BrokerControlProtocol.BrokerInfo.self, send("GET", "/"))
        return (info.bootstrap, info.brokers)
    }

    /// - Returns: `false` when the topic already existed.
    @discardableResult
    public func createTopic(_ name: String, partitions: Int) throws(KafkaError) -> Bool {
        let body = BrokerControlProtocol.CreateTopicRequest(name: name, partitions: partitions)
        return try decode(BrokerControlProtocol.CreateTopicResponse.self, send("POST", "/topics", body)).created
    }

    public func setBrokerDown(_ id: Int) throws(KafkaError) {
        _ = try send("POST", "/brokers/\(id)/down")
    }

    public func setBrokerUp(_ id: Int) throws(KafkaError) {
        _ = try send("POST", "/brokers/\(id)/up")
    }

    /// Makes the next requests of `api` fail with these errors (librdkafka names, e.g. `_TRANSPORT`).
    public func pushRequestErrors(_ api: KafkaAPI, _ errors: [String]) throws(KafkaError) {
        _ = try send("POST", "/errors", BrokerControlProtocol.InjectErrorsRequest(api: api.name, errors: errors))
    }

    private func send(_ method: String, _ path: String, _ body: (some Encodable)? = Optional<String>.none) throws(KafkaError) -> HTTPResponse {
        let response: HTTPResponse
        do {
            let bytes = try body.map { Array(try JSONEncoder().encode($0)) }
            response = try http.request(method, url + path, body: bytes, headers: ["Content-Type: application/json"])
        } catch {
            throw KafkaError(.brokerControl, reason: "\(method) \(url)\(path): \(error)")
        }
        guard (200..<300).contains(response.status) else {
            let why = (try? JSONDecoder().decode(BrokerControlProtocol.Failure.self, from: Data(response.body)))?.error ?? response.text
            throw KafkaError(.brokerControl, reason: "\(method) \(path) → \(response.status): \(why)")
        }
        return response
    }

    private func decode<T: Decodable>(_ type: T.Type, _ response: HTTPResponse) throws(KafkaError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw KafkaError(.brokerControl, reason: "unreadable answer from \(url)")
        }
    }
}

@available(*, unavailable)
extension BrokerControlClient: Sendable {}
