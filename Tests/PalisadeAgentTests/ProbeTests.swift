import PalisadeAPI
import PalisadeAgent
import Testing

/// Probe specs parsed with Kubernetes' defaults; named ports resolved; unsupported kinds refused.
@Suite struct ProbeTests {
    static let container: JSONValue = [
        "name": "app", "ports": [["name": "http", "containerPort": 8080], ["name": "admin", "containerPort": 9000]],
    ]

    static func parse(_ probe: JSONValue) throws -> Probe {
        try Probe(probe, container: container, at: FieldPath("spec", "containers").index(0).child("livenessProbe"))
    }

    static func failure(_ probe: JSONValue) async throws -> PodConfigError {
        try await podConfigError { _ = try parse(probe) }
    }

    @Test func defaultsAreKubernetesDefaults() throws {
        let probe = try Self.parse(["tcpSocket": ["port": 5432]])
        #expect(probe == Probe(action: .tcpSocket(port: 5432, host: nil)))
        #expect(probe.periodSeconds == 10 && probe.timeoutSeconds == 1 && probe.successThreshold == 1 && probe.failureThreshold == 3)
        #expect(probe.initialDelaySeconds == 0 && probe.terminationGracePeriodSeconds == nil)
    }

    @Test func everyTimingIsRead() throws {
        let probe = try Self.parse([
            "exec": ["command": ["cat", "/tmp/healthy"]], "initialDelaySeconds": 5, "periodSeconds": 3, "timeoutSeconds": 2,
            "successThreshold": 2, "failureThreshold": 6, "terminationGracePeriodSeconds": 7,
        ])
        #expect(
            probe
                == Probe(
                    action: .exec(command: ["cat", "/tmp/healthy"]), initialDelaySeconds: 5, periodSeconds: 3, timeoutSeconds: 2,
                    successThreshold: 2, failureThreshold: 6, terminationGracePeriodSeconds: 7))
    }

    @Test func httpGetResolvesNamedPortsAndKeepsHeaders() throws {
        let probe = try Self.parse([
            "httpGet": ["path": "healthz?full=1", "port": "admin", "host": "web.local", "httpHeaders": [["name": "X-Probe", "value": "1"]]]
        ])
        #expect(
            probe.action
                == .httpGet(.init(path: "/healthz?full=1", port: 9000, host: "web.local", headers: [.init(name: "X-Probe", value: "1")])))
        #expect(try Self.parse(["httpGet": ["port": "8081"]]).action == .httpGet(.init(path: "/", port: 8081)))
        #expect(try Self.parse(["tcpSocket": ["port": "http"]]).action == .tcpSocket(port: 8080, host: nil))
    }

    @Test func problemsNameTheirField() async throws {
        let unnamed = try await Self.failure(["httpGet": ["port": "metrics"]])
        #expect(unnamed.message == "spec.containers[0].livenessProbe.httpGet.port: named port \"metrics\" not found in the container's ports")
        let grpc = try await Self.failure(["grpc": ["port": 9090]])
        #expect(grpc.code == .unsupported && grpc.message.hasPrefix("spec.containers[0].livenessProbe.grpc: "))
        let https = try await Self.failure(["httpGet": ["port": 443, "scheme": "HTTPS"]])
        #expect(https.code == .unsupported && https.message.hasPrefix("spec.containers[0].livenessProbe.httpGet.scheme: "))
        let smuggled = try await Self.failure(["httpGet": ["port": 80, "httpHeaders": [["name": "X", "value": "1\r\nEvil: yes"]]]])
        #expect(smuggled.message.hasPrefix("spec.containers[0].livenessProbe.httpGet.httpHeaders[0]: "))
        #expect(try await Self.failure(["tcpSocket": ["port": 70000]]).code == .invalidSpec)
        #expect(try await Self.failure(["exec": ["command": []]]).code == .invalidSpec)
        #expect(try await Self.failure(["periodSeconds": 5]).message == "spec.containers[0].livenessProbe: must specify a handler type")
        #expect(try await Self.failure(["tcpSocket": ["port": 1], "failureThreshold": -1]).code == .invalidSpec)
    }

    @Test func aContainersProbesAreParsedTogether() throws {
        let container = PodContainer(
            kind: .app, index: 1,
            spec: [
                "name": "app", "readinessProbe": ["tcpSocket": ["port": 80]],
                "startupProbe": ["exec": ["command": ["true"]], "failureThreshold": 30],
            ])
        let probes = try ContainerProbes(container: container)
        #expect(probes.liveness == nil && probes.readiness?.action == .tcpSocket(port: 80, host: nil) && probes.startup?.failureThreshold == 30)
    }
}
