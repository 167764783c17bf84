import PalisadeAPI

extension ContainerRuntimeState {
    /// The `containerStatuses[]` entry; `specImage` stands in when no image was recorded.
    func json(specImage: String) -> JSONValue {
        var json: JSONValue = [
            "name": .string(name),
            "state": Self.json(state),
            "lastState": lastTermination.map { ["terminated": Self.json($0)] } ?? .emptyObject,
            "ready": .bool(ready),
            "restartCount": .int(Int64(restartCount)),
            "image": .string(image ?? specImage),
            "imageID": .string(imageID ?? ""),
            "started": .bool(started ?? isRunning),
        ]
        if let id { json["containerID"] = .string(Self.containerID(id)) }
        return json
    }

    var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    private static func json(_ state: State) -> JSONValue {
        switch state {
        case .waiting(let reason, let message):
            var waiting: JSONValue = ["reason": .string(reason)]
            if let message, !message.isEmpty { waiting["message"] = .string(message) }
            return ["waiting": waiting]
        case .running(let startedAt):
            return ["running": ["startedAt": .string(Timestamp.format(startedAt))]]
        case .terminated(let termination):
            return ["terminated": json(termination)]
        }
    }

    private static func json(_ end: Termination) -> JSONValue {
        var json: JSONValue = [
            "exitCode": .int(Int64(end.exitCode)),
            "reason": .string(end.reason ?? (end.exitCode == 0 ? "Completed" : "Error")),
            "finishedAt": .string(Timestamp.format(end.finishedAt)),
        ]
        if let signal = end.signal { json["signal"] = .int(Int64(signal)) }
        if let message = end.message, !message.isEmpty { json["message"] = .string(message) }
        if let startedAt = end.startedAt { json["startedAt"] = .string(Timestamp.format(startedAt)) }
        if let id = end.containerID { json["containerID"] = .string(containerID(id)) }
        return json
    }
}
