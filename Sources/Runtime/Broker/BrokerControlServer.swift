import Foundation
public import Hummingbird
public import Logging
import NIOCore

/// Serves the embedded broker's control channel (see `BrokerControlProtocol`) on 127.0.0.1.
public enum BrokerControlServer {
    /// An HTTP application controlling `broker`, bound to `127.0.0.1:port` (0: any free port).
    /// `onRunning` receives the channel's base URL once it listens.
    public static func application(
        for broker: EmbeddedBroker, port: Int = 0, logger: Logger,
        onRunning: @escaping @Sendable (String) async -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/") { _, _ in
            try json(BrokerControlProtocol.BrokerInfo(bootstrap: broker.bootstrapServers, brokers: broker.brokerCount))
        }
        router.post("/topics") { request, context in
            let body = try await request.decode(as: BrokerControlProtocol.CreateTopicRequest.self, context: context)
            do {
                let created = try broker.createTopic(body.name, partitions: body.partitions)
                return try json(BrokerControlProtocol.CreateTopicResponse(created: created), status: created ? .created : .ok)
            } catch {
                return try failure("\(error)", status: .badRequest)
            }
        }
        router.post("/brokers/{id}/{state}") { _, context in
            guard let id = context.parameters.get("id", as: Int.self), (1...broker.brokerCount).contains(id) else {
                return try failure("no such broker (1...\(broker.brokerCount))", status: .notFound)
            }
            switch context.parameters.get("state") {
            case "down": try broker.setBrokerDown(id)
            case "up": try broker.setBrokerUp(id)
            default: return try failure("state must be down or up", status: .notFound)
            }
            return Response(status: .noContent)
        }
        router.post("/errors") { request, context in
            let body = try await request.decode(as: BrokerControlProtocol.InjectErrorsRequest.self, context: context)
            guard let api = KafkaAPI(named: body.api) else { return try failure("unknown API \(body.api)", status: .badRequest) }
            var codes: [Int32] = []
            for name in body.errors {
                guard let code = KafkaError.rdKafkaCode(named: name) else {
                    return try failure("unknown error \(name)", status: .badRequest)
                }
                codes.append(code)
            }
            broker.pushRequestErrors(api, codes)
            return Response(status: .noContent)
        }
        router.delete("/errors/{api}") { _, context in
            guard let name = context.parameters.get("api"), let api = KafkaAPI(named: name) else {
                return try failure("unknown API", status: .badRequest)
            }
            broker.clearRequestErrors(api)
            return Response(status: .noContent)
        }
        router.post("/topics/{name}/error") { request, context in
            let body = try await request.decode(as: BrokerControlProtocol.TopicErrorRequest.self, context: context)
            guard let topic = context.parameters.get("name"), let code = KafkaError.rdKafkaCode(named: body.error) else {
                return try failure("unknown error \(body.error)", status: .badRequest)
            }
            broker.setTopicError(topic, code)
            return Response(status: .noContent)
        }
        return Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                await onRunning("http://127.0.0.1:\(channel.localAddress?.port ?? port)")
            },
            logger: logger)
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func failure(_ message: String, status: HTTPResponse.Status) throws -> Response {
        try json(BrokerControlProtocol.Failure(error: message), status: status)
    }
}
