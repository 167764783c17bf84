import ArgumentParser
import Foundation
import Glibc
import PalisadeRuntime

/// `palisade-bench runtime --runs 200`: container create + start + exit latency of
/// Palisade's runtime beside `runc run` of the same busybox root filesystem, `/bin/true`
/// in each, measured in the same run. The image (an OCI layout, or a tar of one) is imported
/// into a scratch image store and unpacked with the runtime's own `RootfsUnpacker`; both
/// runtimes then run sequential containers on that one read-only root, alternating in
/// `--rounds` batches after a few warm-up runs so drift on a busy machine hits both alike.
/// Prints the median, p90 and p99 of each and the ratio palisade/runc. Needs root.
struct RuntimeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime", abstract: "Container create+start+exit latency: Palisade's runtime beside runc.")

    @Option(help: "Containers run by each runtime.")
    var runs = 200

    @Option(help: "OCI image layout (directory or tar) holding busybox; default: built with Tests/e2e/fixtures/busybox-image.sh.")
    var image: String?

    @Option(help: "Image of the layout to use when it holds more than one.")
    var imageName: String?

    @Option(help: "The runc binary.")
    var runc = "runc"

    @Option(help: "Batches the runs are split into, alternating between the runtimes.")
    var rounds = 2

    @Option(help: "Unmeasured runs of each runtime first.")
    var warmup = 5

    @Option(help: "Seccomp profile of Palisade's containers (runc's default bundle has none).")
    var seccompProfile = "policies/seccomp/runtime-default.json"

    @Option(help: "The palisade binary, timed as a process per container (`palisade container run`).")
    var palisadeCommand = ".build/release/palisade"

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
        guard rounds > 0 && rounds <= runs else { throw ValidationError("--rounds must be between 1 and --runs") }
        guard warmup >= 0 else { throw ValidationError("--warmup cannot be negative") }
    }

    func run() async throws {
        guard getuid() == 0 else { throw RuntimeBenchError("palisade-bench runtime runs containers: run it as root") }
        var template = Array("/tmp/palisade-bench-runtime.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw RuntimeBenchError("cannot create a scratch directory: \(String(cString: strerror(errno)))") }
        let scratch = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        let (rootfs, name) = try prepareRootfs(scratch: scratch)
        let baseline = try RuncBaseline(rootfs: rootfs, scratch: scratch, runc: runc)
        print("palisade-bench runtime: /bin/true in \(name), create+start+exit, \(runs) runs each in \(rounds) alternating rounds after \(warmup) warm-up runs (\(baseline.version()))")

        let palisadeRuntime = try PalisadeRuntimeSide(rootfs: rootfs, profile: seccompProfile)
        func palisade(_ count: Int) throws -> [Duration] { try (0..<count).map { index in try palisadeRuntime.run(index) } }
        // A process per container as for runc: the CLI, with its own start and profile compilation.
        let command = [palisadeCommand, "container", "run", "--rootfs", rootfs, "--read-only", "--seccomp", seccompProfile, "--pids", "1024", "--", "/bin/true"]
        func palisadeProcess(_ count: Int) throws -> [Duration] { try (0..<count).map { _ in try PalisadeRuntimeSide.spawn(command, scratch: scratch) } }

        _ = try baseline.measure(runs: warmup)
        _ = try palisade(warmup)
        _ = try palisadeProcess(warmup)
        var runcSamples: [Duration] = []
        var palisadeSamples: [Duration] = []
        var processSamples: [Duration] = []
        for round in 0..<rounds {
            let share = runs / rounds + (round < runs % rounds ? 1 : 0)
            runcSamples += try baseline.measure(runs: share)
            palisadeSamples += try palisade(share)
            processSamples += try palisadeProcess(share)
        }

        let runcFigures = Measurement(name: "runc", latencies: runcSamples, elapsed: runcSamples.reduce(.zero, +))
        print("  " + Self.line(runcFigures))
        for figures in [
            Measurement(name: "palisade", latencies: palisadeSamples, elapsed: palisadeSamples.reduce(.zero, +)),
            Measurement(name: "palisade-cli", latencies: processSamples, elapsed: processSamples.reduce(.zero, +)),
        ] {
            print("  " + Self.line(figures))
            let ratio = { (p: Double) in figures.percentile(p).seconds / runcFigures.percentile(p).seconds }
            print(String(format: "    ratio %@/runc: p50 %.3f   p90 %.3f   p99 %.3f   mean %.3f", figures.name, ratio(0.50), ratio(0.90), ratio(0.99), figures.mean.seconds / runcFigures.mean.seconds))
        }
    }

    /// One runtime's figures: percentiles and mean of the per-container latencies.
    static func line(_ figures: Measurement) -> String {
        figures.name.padding(toLength: 14, withPad: " ", startingAt: 0)
            + String(
                format: "p50 %7.2f ms   p90 %7.2f ms   p99 %7.2f ms   mean %7.2f ms   (%d runs)",
                figures.percentile(0.50).milliseconds, figures.percentile(0.90).milliseconds, figures.percentile(0.99).milliseconds,
                figures.mean.milliseconds, figures.latencies.count
            )
    }

    /// Imports the image into a scratch store and unpacks it: the root filesystem's path and the image's name.
    private func prepareRootfs(scratch: String) throws -> (rootfs: String, name: String) {
        let layout: String
        if let image {
            layout = image
        } else {
            let script = "Tests/e2e/fixtures/busybox-image.sh"
            guard access(script, X_OK) == 0 else { throw RuntimeBenchError("no --image given and \(script) is not here (run from the repository root)") }
            layout = "\(scratch)/busybox-layout"
            let errors = "\(scratch)/busybox-image.stderr"
            let status = try RuncBaseline.spawnAndWait(["/bin/bash", script, layout], stderr: errors)
            guard status == 0 else { throw RuntimeBenchError("\(script) failed (\(RuncBaseline.describe(status))): \(RuncBaseline.text(of: errors))") }
        }
        let store = ImageStore(root: "\(scratch)/images")
        let imported = try store.importImages(from: layout)
        let chosen: ImageStore.Image
        if let imageName {
            guard let match = imported.first(where: { $0.name == ImageReference.normalized(imageName) }) else {
                throw RuntimeBenchError("\(layout) has no image \(imageName) (it has \(imported.map(\.name).joined(separator: ", ")))")
            }
            chosen = match
        } else {
            guard imported.count == 1 else { throw RuntimeBenchError("\(layout) holds \(imported.count) images; choose one with --image-name") }
            chosen = imported[0]
        }
        let rootfs = "\(scratch)/rootfs"
        try RootfsUnpacker(store: store).unpack(chosen, into: rootfs)
        guard access("\(rootfs)/bin/true", X_OK) == 0 else { throw RuntimeBenchError("image \(chosen.name) has no executable /bin/true") }
        return (rootfs, chosen.name)
    }
}
