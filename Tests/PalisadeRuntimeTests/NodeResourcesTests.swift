import Foundation
import PalisadeAPI
@testable import PalisadeRuntime
import Testing

/// What a node reports about itself.
@Suite struct NodeResourcesTests {
    @Test func theMachineIsReadAsTheKubeletReportsIt() {
        #expect(NodeResources.memoryBytes(meminfo: "MemTotal:       24684092 kB\nMemFree: 1 kB\n") == Int64(24_684_092) * 1024)
        #expect(NodeResources.osImage(osRelease: "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n") == "Debian GNU/Linux 12 (bookworm)")
        #expect(NodeResources.goArchitecture("x86_64") == "amd64" && NodeResources.goArchitecture("aarch64") == "arm64")
    }

    @Test func allocatableKeepsTheSystemsShareBack() {
        let node = NodeResources(
            millicores: 2000, memoryBytes: 8 << 30, storageBytes: 100 << 30, kernelVersion: "6.1", osImage: "Debian", architecture: "amd64",
            machineID: "m", bootID: "b"
        )
        #expect(node.capacity == ["cpu": "2", "memory": "8388608Ki", "ephemeral-storage": "104857600Ki", "pods": "110"])
        #expect(node.allocatable["cpu"] == "1900m" && node.allocatable["memory"] == "8024064Ki")
        #expect(node.allocatable["ephemeral-storage"] == "94371840Ki")
    }

    @Test func thisMachineHasSomethingToOffer() {
        let node = NodeResources.detect(dataDirectory: NSTemporaryDirectory())
        #expect(node.millicores >= 1000 && node.memoryBytes > 0 && node.storageBytes > 0)
        #expect(!node.kernelVersion.isEmpty && ["amd64", "arm64"].contains(node.architecture))
    }
}
