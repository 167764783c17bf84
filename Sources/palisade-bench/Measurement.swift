import Foundation

/// Latencies of one scenario and what they add up to.
struct Measurement {
    let name: String
    let latencies: [Duration]
    let elapsed: Duration

    var operationsPerSecond: Double {
        Double(latencies.count) / elapsed.seconds
    }

    func percentile(_ p: Double) -> Duration {
        guard !latencies.isEmpty else { return .zero }
        let sorted = latencies.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    var summary: String {
        name.padding(toLength: 14, withPad: " ", startingAt: 0)
            + String(
                format: "%9.0f ops/s   p50 %7.2f ms   p99 %7.2f ms   (%d ops)",
                operationsPerSecond, percentile(0.50).milliseconds, percentile(0.99).milliseconds, latencies.count
            )
    }

    /// Runs `operation` from `workers` concurrent tasks for `duration`, timing each call.
    static func run(
        _ name: String, workers: Int, duration: Duration, operation: @escaping @Sendable (_ worker: Int, _ iteration: Int) async throws -> Void
    ) async throws -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + duration
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var own: [Duration] = []
                    var iteration = 0
                    while clock.now < deadline {
                        let began = clock.now
                        try await operation(worker, iteration)
                        own.append(clock.now - began)
                        iteration += 1
                    }
                    return own
                }
            }
            var all: [Duration] = []
            for try await own in group { all += own }
            return all
        }
        return Measurement(name: name, latencies: latencies, elapsed: clock.now - start)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}

extension Measurement {
    /// Runs `operation` on this task (one core) for `duration`, timing each call.
    static func repeating(_ name: String, duration: Duration, operation: () throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        let start = clock.now
        var latencies: [Duration] = []
        latencies.reserveCapacity(1 << 20)
        while clock.now - start < duration {
            let began = clock.now
            try operation()
            latencies.append(clock.now - began)
        }
        return Measurement(name: name, latencies: latencies, elapsed: clock.now - start)
    }

    var mean: Duration {
        latencies.isEmpty ? .zero : latencies.reduce(.zero, +) / latencies.count
    }
}

extension Measurement {
    /// Measures each candidate `rounds` times, alternating between them so drift on a busy
    /// machine hits all alike; prints each run and returns the mean rate per candidate.
    static func alternating<Candidate>(
        _ candidates: [(name: String, value: Candidate)], rounds: Int = 2,
        _ measure: (_ candidate: Candidate, _ label: String) async throws -> Measurement
    ) async throws -> [String: Double] {
        var rates: [String: [Double]] = [:]
        for round in 0..<rounds {
            for candidate in candidates {
                let measurement = try await measure(candidate.value, "\(candidate.name) #\(round + 1)")
                print("  " + measurement.summary)
                rates[candidate.name, default: []].append(measurement.operationsPerSecond)
            }
        }
        return rates.mapValues { $0.reduce(0, +) / Double($0.count) }
    }
}
