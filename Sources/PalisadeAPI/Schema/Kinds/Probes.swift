/// core/v1 probes and lifecycle hooks of a container.
extension Schemas {
    /// JSON flattens the `ProbeHandler` (`exec`, `httpGet`, ...) into the probe itself.
    static let probe = ObjectSchema.embedding("Probe", probeHandler, at: 1, [
        .integer("initialDelaySeconds", 2),
        .integer("timeoutSeconds", 3),
        .integer("periodSeconds", 4),
        .integer("successThreshold", 5),
        .integer("failureThreshold", 6),
        .integer("terminationGracePeriodSeconds", 7),
    ])

    static let probeHandler = ObjectSchema("ProbeHandler", [
        .object("exec", 1, execAction),
        .object("httpGet", 2, httpGetAction),
        .object("tcpSocket", 3, tcpSocketAction),
        .object("grpc", 4, grpcAction),
    ])

    static let execAction = ObjectSchema("ExecAction", [.strings("command", 1)])

    static let httpGetAction = ObjectSchema("HTTPGetAction", [
        .string("path", 1),
        .intOrString("port", 2),
        .string("host", 3),
        .string("scheme", 4),
        .list("httpHeaders", 5, httpHeader),
    ])

    static let httpHeader = ObjectSchema("HTTPHeader", [.string("name", 1), .string("value", 2)])

    static let tcpSocketAction = ObjectSchema("TCPSocketAction", [.intOrString("port", 1), .string("host", 2)])

    static let grpcAction = ObjectSchema("GRPCAction", [.integer("port", 1), .string("service", 2)])

    static let lifecycle = ObjectSchema("Lifecycle", [
        .object("postStart", 1, lifecycleHandler),
        .object("preStop", 2, lifecycleHandler),
        .string("stopSignal", 3),
    ])

    static let lifecycleHandler = ObjectSchema("LifecycleHandler", [
        .object("exec", 1, execAction),
        .object("httpGet", 2, httpGetAction),
        .object("tcpSocket", 3, tcpSocketAction),
        .object("sleep", 4, sleepAction),
    ])

    static let sleepAction = ObjectSchema("SleepAction", [.integer("seconds", 1)])
}
