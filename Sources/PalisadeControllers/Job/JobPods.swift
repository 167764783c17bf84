import Foundation
import PalisadeAPI

/// The pods a Job makes, and what the Job controller reads of them: completion indexes,
/// container restarts, when a pod finished.
enum JobPods {
    /// Annotation and label carrying an Indexed Job pod's completion index.
    static let indexKey = "batch.kubernetes.io/job-completion-index"

    /// A new pod from the Job's template, owned by it: named `<job>-<random>` (`<job>-<index>-<random>`
    /// for an index), and for an index also carrying it as annotation, label and
    /// `JOB_COMPLETION_INDEX`, with the hostname `<job>-<index>`, as Kubernetes makes them.
    static func pod(from job: JSONValue, index: Int?) -> JSONValue {
        let template = job[path: ["spec", "template"]] ?? .emptyObject
        let jobName = job.name ?? ""
        var metadata = template["metadata"]?.objectValue ?? [:]
        metadata["generateName"] = .string(index.map { "\(jobName)-\($0)-" } ?? "\(jobName)-")
        metadata["namespace"] = .string(job.namespace ?? "")
        metadata["ownerReferences"] = [OwnerReference.make(to: job, kind: "Job", apiVersion: "batch/v1")]
        metadata["name"] = nil
        var spec = template["spec"] ?? .emptyObject
        if let index {
            for field in ["annotations", "labels"] {
                var values = metadata[field]?.objectValue ?? [:]
                values[indexKey] = .string(String(index))
                metadata[field] = .object(values)
            }
            if (spec["hostname"]?.stringValue ?? "").isEmpty { spec["hostname"] = .string("\(jobName)-\(index)") }
            let variable: JSONValue = [
                "name": "JOB_COMPLETION_INDEX",
                "valueFrom": ["fieldRef": ["fieldPath": .string("metadata.labels['\(indexKey)']")]],
            ]
            for list in ["initContainers", "containers"] {
                guard let containers = spec[list]?.arrayValue else { continue }
                spec[list] = .array(containers.map { container in
                    var container = container
                    container["env"] = .array((container["env"]?.arrayValue ?? []).filter { $0["name"]?.stringValue != "JOB_COMPLETION_INDEX" } + [variable])
                    return container
                })
            }
        }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": spec]
    }

    /// The completion index of a pod of an Indexed Job with `completions`, when valid.
    static func index(of pod: JSONValue, completions: Int) -> Int? {
        guard let text = pod[path: ["metadata", "annotations", indexKey]]?.stringValue, let index = Int(text),
            (0..<completions).contains(index)
        else { return nil }
        return index
    }

    /// Container restarts of the pod (init containers included): with `restartPolicy:
    /// OnFailure` each is a failure the kubelet retried in place.
    static func restarts(_ pod: JSONValue) -> Int {
        ["initContainerStatuses", "containerStatuses"].reduce(0) { total, list in
            total + (pod[path: ["status", list]]?.arrayValue ?? []).reduce(0) { $0 + Int($1["restartCount"]?.intValue ?? 0) }
        }
    }

    /// When a finished pod finished: its last container's `finishedAt`, else when it stopped
    /// being ready, else when it was created.
    static func finishTime(_ pod: JSONValue) -> Date {
        let finished = (pod[path: ["status", "containerStatuses"]]?.arrayValue ?? [])
            .compactMap { $0[path: ["state", "terminated", "finishedAt"]]?.stringValue.flatMap(Timestamp.parse) }
        if let last = finished.max() { return last }
        let ready = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).first { $0["type"]?.stringValue == "Ready" }
        return ready?["lastTransitionTime"]?.stringValue.flatMap(Timestamp.parse)
            ?? pod[path: ["metadata", "creationTimestamp"]]?.stringValue.flatMap(Timestamp.parse) ?? .distantPast
    }

    /// Indexes as Kubernetes writes `completedIndexes`: ascending, runs as `first-last`
    /// (`1,3-5,7`).
    static func formatIndexes(_ indexes: Set<Int>) -> String {
        var runs: [String] = []
        var sorted = indexes.sorted()[...]
        while let first = sorted.popFirst() {
            var last = first
            while sorted.first == last + 1 { last = sorted.removeFirst() }
            runs.append(first == last ? String(first) : "\(first)-\(last)")
        }
        return runs.joined(separator: ",")
    }

    /// The inverse of ``formatIndexes(_:)``; malformed parts are skipped.
    static func parseIndexes(_ text: String) -> Set<Int> {
        var indexes = Set<Int>()
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", maxSplits: 1).compactMap { Int($0) }
            if bounds.count == 2, bounds[0] <= bounds[1] {
                indexes.formUnion(bounds[0]...bounds[1])
            } else if bounds.count == 1, !part.contains("-") {
                indexes.insert(bounds[0])
            }
        }
        return indexes
    }
}
