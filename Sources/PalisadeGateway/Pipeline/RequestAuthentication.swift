import Hummingbird
import PalisadeAPI
import PalisadeAuth

/// How a listener learns who is calling: from the connection's client certificate on the
/// main gateway (``AuthenticationStage``), from a bootstrap token on the bootstrap listener
/// (``BootstrapTokenAuthentication``). Either returns a user or throws 401; there is no
/// anonymous user.
protocol RequestAuthentication: Sendable {
    func authenticate(_ request: Request, context: GatewayRequestContext) async throws(APIError) -> UserInfo
}

extension AuthenticationStage: RequestAuthentication {
    func authenticate(_ request: Request, context: GatewayRequestContext) async throws(APIError) -> UserInfo {
        try await authenticate(context)
    }
}
