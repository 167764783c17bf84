import PalisadeAPI

/// A container's liveness, readiness or startup probe, parsed and with Kubernetes' defaults:
/// every 10 s, 1 s timeout, 1 success and 3 failures to change state, no initial delay.
public struct Probe: Sendable, Equatable {
    /// How the probe checks the container.
    public enum Action: Sendable, Equatable {
        /// Run a command in the container; exit 0 is success.
        case exec(command: [String])
        /// GET a path; a 200–399 status is success.
        case httpGet(HTTPGetAction)
        /// Open a TCP connection; connecting is success.
        case tcpSocket(port: Int, host: String?)
    }

    public struct HTTPHeader: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct HTTPGetAction: Sendable, Equatable {
        /// Starts with `/`; may carry a query.
        public var path: String
        /// Named ports are resolved against the container's ports.
        public var port: Int
        /// The `host` field; the prober always connects inside the pod, and uses it only for the Host header.
        public var host: String?
        public var headers: [HTTPHeader]

        public init(path: String = "/", port: Int, host: String? = nil, headers: [HTTPHeader] = []) {
            self.path = path
            self.port = port
            self.host = host
            self.headers = headers
        }
    }

    public var action: Action
    public var initialDelaySeconds: Int
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var successThreshold: Int
    public var failureThreshold: Int
    /// The grace period for a kill this probe causes, when the probe sets one.
    public var terminationGracePeriodSeconds: Int64?

    public init(
        action: Action, initialDelaySeconds: Int = 0, periodSeconds: Int = 10, timeoutSeconds: Int = 1, successThreshold: Int = 1,
        failureThreshold: Int = 3, terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.action = action
        self.initialDelaySeconds = initialDelaySeconds
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }

    /// Parses a probe object of `container` found at `field` (`spec.containers[0].livenessProbe`).
    /// gRPC and HTTPS probes are refused as unsupported.
    public init(_ probe: JSONValue, container: JSONValue, at field: FieldPath) throws(PodConfigError) {
        func seconds(_ name: String, default value: Int, minimum: Int) throws(PodConfigError) -> Int {
            guard let raw = probe[name], !raw.isNull else { return value }
            guard let number = raw.intValue, number >= 0, number <= Int64(Int32.max) else {
                throw PodConfigError(.invalidSpec, at: field.child(name), "must be a non-negative integer")
            }
            // Zero means unset, as API defaulting treats it.
            return number == 0 ? value : max(Int(number), minimum)
        }
        self.init(
            action: try Self.action(of: probe, container: container, at: field),
            initialDelaySeconds: try seconds("initialDelaySeconds", default: 0, minimum: 0),
            periodSeconds: try seconds("periodSeconds", default: 10, minimum: 1),
            timeoutSeconds: try seconds("timeoutSeconds", default: 1, minimum: 1),
            successThreshold: try seconds("successThreshold", default: 1, minimum: 1),
            failureThreshold: try seconds("failureThreshold", default: 3, minimum: 1),
            terminationGracePeriodSeconds: probe["terminationGracePeriodSeconds"]?.intValue
        )
    }

    private static func action(of probe: JSONValue, container: JSONValue, at field: FieldPath) throws(PodConfigError) -> Action {
        if let exec = probe["exec"] {
            let command = (exec["command"]?.arrayValue ?? []).compactMap(\.stringValue)
            guard !command.isEmpty else { throw PodConfigError(.invalidSpec, at: field.child("exec").child("command"), "Required value") }
            return .exec(command: command)
        }
        if let get = probe["httpGet"] {
            let path = field.child("httpGet")
            let scheme = get["scheme"]?.stringValue ?? "HTTP"
            guard scheme.uppercased() == "HTTP" else {
                throw PodConfigError(.unsupported, at: path.child("scheme"), "scheme \"\(scheme)\" is not supported; use HTTP")
            }
            var headers: [HTTPHeader] = []
            for (index, header) in (get["httpHeaders"]?.arrayValue ?? []).enumerated() {
                let name = header["name"]?.stringValue ?? ""
                let value = header["value"]?.stringValue ?? ""
                // No CR, LF or NUL: a header must not smuggle another header or request line.
                guard !name.isEmpty, Self.isHeaderSafe(name + value), !name.contains(":") else {
                    throw PodConfigError(.invalidSpec, at: path.child("httpHeaders").index(index), "invalid HTTP header")
                }
                headers.append(HTTPHeader(name: name, value: value))
            }
            var target = get["path"]?.stringValue ?? "/"
            if !target.hasPrefix("/") { target = "/" + target }
            guard Self.isHeaderSafe(target), !target.contains(" ") else {
                throw PodConfigError(.invalidSpec, at: path.child("path"), "invalid HTTP path")
            }
            let port = try resolvePort(get["port"], container: container, at: path.child("port"))
            let host = get["host"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            guard Self.isHeaderSafe(host ?? "") else { throw PodConfigError(.invalidSpec, at: path.child("host"), "invalid host") }
            return .httpGet(HTTPGetAction(path: target, port: port, host: host, headers: headers))
        }
        if let socket = probe["tcpSocket"] {
            let port = try resolvePort(socket["port"], container: container, at: field.child("tcpSocket").child("port"))
            return .tcpSocket(port: port, host: socket["host"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
        }
        if probe["grpc"] != nil {
            throw PodConfigError(.unsupported, at: field.child("grpc"), "gRPC probes are not supported by this node")
        }
        throw PodConfigError(.invalidSpec, at: field, "must specify a handler type")
    }

    /// A port number, or the name of one of the container's ports (a number written as a string counts too).
    private static func resolvePort(_ value: JSONValue?, container: JSONValue, at field: FieldPath) throws(PodConfigError) -> Int {
        var port: Int64?
        if let number = value?.intValue {
            port = number
        } else if let name = value?.stringValue {
            let named = (container["ports"]?.arrayValue ?? []).first { $0["name"]?.stringValue == name }
            port = named?["containerPort"]?.intValue ?? Int64(name)
            if port == nil { throw PodConfigError(.invalidSpec, at: field, "named port \"\(name)\" not found in the container's ports") }
        }
        guard let port, (1...65535).contains(port) else {
            throw PodConfigError(.invalidSpec, at: field, "must be a port number between 1 and 65535, or a named container port")
        }
        return Int(port)
    }

    private static func isHeaderSafe(_ text: String) -> Bool {
        !text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
    }
}

/// The probes of one container.
public struct ContainerProbes: Sendable, Equatable {
    public var liveness: Probe?
    public var readiness: Probe?
    public var startup: Probe?

    public init(liveness: Probe? = nil, readiness: Probe? = nil, startup: Probe? = nil) {
        self.liveness = liveness
        self.readiness = readiness
        self.startup = startup
    }

    /// Parses `livenessProbe`, `readinessProbe` and `startupProbe`; a broken one is an error naming its field.
    public init(container: PodContainer) throws(PodConfigError) {
        func parse(_ name: String) throws(PodConfigError) -> Probe? {
            guard let probe = container.spec[name], !probe.isNull else { return nil }
            return try Probe(probe, container: container.spec, at: container.fieldPath.child(name))
        }
        self.init(liveness: try parse("livenessProbe"), readiness: try parse("readinessProbe"), startup: try parse("startupProbe"))
    }
}
