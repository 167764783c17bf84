import PalisadeAPI
import Synchronization

/// The nodes and what is placed on them: bound pods as the informers report them, and
/// pods assumed on a node from the moment the scheduler chose it until the informer shows
/// the binding (so a second pod is never placed into room the first already took).
final class SchedulingCache: Sendable {
    /// Where a pod goes, or why it cannot go anywhere.
    enum Decision: Equatable {
        case node(String)
        case unschedulable(String)
    }

    private struct State {
        var nodes: [String: NodeInfo] = [:]
        var order: [String] = []
        /// Where each placed pod is.
        var podNodes: [String: String] = [:]
        /// Placed pods with anti-affinity terms, which later pods must respect too.
        var antiAffinityPods: [String: NodeInfo.PlacedPod] = [:]
        /// Where the next search starts, so successive pods look at different nodes first.
        var start = 0
    }

    private let state = Mutex(State())

    /// Adds or replaces a node; true when the change could let a waiting pod fit.
    @discardableResult
    func setNode(_ node: JSONValue) -> Bool {
        let name = node.name ?? ""
        return state.withLock { state in
            guard let old = state.nodes[name] else {
                state.nodes[name] = NodeInfo(node)
                state.order.append(name)
                return true
            }
            let updated = old.replacingNode(node)
            state.nodes[name] = updated
            return updated.mayAdmitMoreThan(old)
        }
    }

    func removeNode(_ name: String) {
        state.withLock { state in
            guard state.nodes.removeValue(forKey: name) != nil else { return }
            state.order.removeAll { $0 == name }
            for (pod, node) in state.podNodes where node == name { state.podNodes[pod] = nil }
        }
    }

    /// Records that `pod` is on `node` (bound, or assumed while its binding is in flight).
    func place(_ pod: PodPlacement, on node: String) {
        let placed = NodeInfo.PlacedPod(pod)
        state.withLock { state in
            if let previous = state.podNodes[pod.key], previous != node { state.nodes[previous]?.remove(pod.key) }
            state.podNodes[pod.key] = node
            state.nodes[node]?.add(pod.key, placed)
            if !pod.antiAffinity.isEmpty { state.antiAffinityPods[pod.key] = placed }
        }
    }

    /// Forgets a pod (deleted, finished, or its binding failed); true when it held room somewhere.
    @discardableResult
    func remove(_ podKey: String) -> Bool {
        state.withLock { state in
            state.antiAffinityPods[podKey] = nil
            guard let node = state.podNodes.removeValue(forKey: podKey) else { return false }
            state.nodes[node]?.remove(podKey)
            return true
        }
    }

    func isPlaced(_ podKey: String) -> Bool {
        state.withLock { $0.podNodes[podKey] != nil }
    }

    /// Chooses the best node for `pod` among the feasible ones, as Kubernetes does: nodes
    /// are checked from a rotating start until enough feasible ones are found (all of them
    /// below 100 nodes; an adaptive share of large clusters), then scored; ties are broken
    /// at random. The decision does not place the pod; ``place(_:on:)`` does.
    func decide(_ pod: PodPlacement) -> Decision {
        state.withLock { state in
            let count = state.order.count
            guard count > 0 else { return .unschedulable("0/0 nodes are available: no nodes available to schedule pods.") }
            let wanted = Self.feasibleNodesToFind(count)
            let blocked = Self.antiAffinityBlocks(pod, state)
            var feasible: [NodeInfo] = []
            var reasons: [String: Int] = [:]
            var checked = 0
            var index = state.start % count
            while checked < count && feasible.count < wanted {
                let node = state.nodes[state.order[index]]!
                let failures = PlacementFilters.failures(pod, on: node, antiAffinityBlocked: blocked(node))
                if failures.isEmpty {
                    feasible.append(node)
                } else {
                    for reason in failures { reasons[reason, default: 0] += 1 }
                }
                checked += 1
                index = (index + 1) % count
            }
            state.start = index
            guard !feasible.isEmpty else { return .unschedulable(PlacementFilters.summary(nodeCount: count, reasons: reasons)) }
            let mostReplicas = pod.ownerUID.map { owner in feasible.map { $0.ownerCounts[owner] ?? 0 }.max() ?? 0 } ?? 0
            var best: [String] = []
            var bestScore = -Double.infinity
            for node in feasible {
                let score = PlacementScores.score(pod, on: node, mostReplicas: mostReplicas)
                if score > bestScore + 1e-9 {
                    bestScore = score
                    best = [node.name]
                } else if abs(score - bestScore) <= 1e-9 {
                    best.append(node.name)
                }
            }
            return .node(best.randomElement()!)
        }
    }

    /// Kubernetes' `numFeasibleNodesToFind`: every node below 100; otherwise a share that
    /// falls from 50 % by one point per 125 nodes, at least 5 %, and never below 100 nodes.
    static func feasibleNodesToFind(_ nodes: Int) -> Int {
        guard nodes >= 100 else { return nodes }
        let percentage = max(5, 50 - nodes / 125)
        return max(100, nodes * percentage / 100)
    }

    /// Whether a node is ruled out by required anti-affinity, in both directions: the
    /// pod's own terms against pods already placed, and placed pods' terms against the pod.
    private static func antiAffinityBlocks(_ pod: PodPlacement, _ state: State) -> (NodeInfo) -> Bool {
        var blockedValues: [String: Set<String>] = [:]
        if !pod.antiAffinity.isEmpty {
            for node in state.nodes.values {
                for term in pod.antiAffinity {
                    guard let value = node.labels[term.topologyKey] else { continue }
                    if node.pods.values.contains(where: { PodPlacement.term(term, matches: $0.labels, namespace: $0.namespace) }) {
                        blockedValues[term.topologyKey, default: []].insert(value)
                    }
                }
            }
        }
        for (key, placed) in state.antiAffinityPods where key != pod.key {
            guard let nodeName = state.podNodes[key], let node = state.nodes[nodeName] else { continue }
            for term in placed.antiAffinity where PodPlacement.term(term, matches: pod.labels, namespace: pod.namespace) {
                if let value = node.labels[term.topologyKey] { blockedValues[term.topologyKey, default: []].insert(value) }
            }
        }
        guard !blockedValues.isEmpty else { return { _ in false } }
        return { node in
            blockedValues.contains { key, values in node.labels[key].map(values.contains) ?? false }
        }
    }
}
