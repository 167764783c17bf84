import ArgumentParser

/// `palisade-bench`: measured speed, always beside a baseline taken in the same run.
@main
struct PalisadeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "palisade-bench",
        abstract: "Benchmarks for Palisade (build with -c release).",
        subcommands: [APIBenchmark.self, RBACBenchmark.self, SecretsBenchmark.self, AdmissionBenchmark.self, AuditBenchmark.self, SchedulerBenchmark.self, RuntimeBenchmark.self, PodStartupBenchmark.self, HollowNodesCommand.self]
    )
}
