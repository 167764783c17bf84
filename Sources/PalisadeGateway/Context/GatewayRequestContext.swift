import Hummingbird
import Logging
import NIOCore
import PalisadeAuth

/// The context every request carries through the gateway: the connection it came on (for
/// its client certificate), and what the stages learn about it on the way.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel
    /// Set by authentication; nil only before that stage.
    public var user: UserInfo?
    /// Set by request-info resolution.
    public var requestInfo: RequestInfo?
    /// Set when a list or watch of namespaces is narrowed to these names (`NamespaceVisibility`).
    public var visibleNamespaces: Set<String>?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Bodies above this size are refused with 413 before they are read in full.
    public var maxUploadSize: Int { GatewayConfiguration.maximumRequestBodyBytes }

    public var requestID: String { logger[metadataKey: "hb.request.id"]?.description ?? "-" }
}
