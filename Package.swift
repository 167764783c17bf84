// swift-tools-version:6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Palisade",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "palisade", targets: ["palisade"]),
        .executable(name: "palisade-bench", targets: ["palisade-bench"]),
        .executable(name: "kauth", targets: ["kauth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(
            name: "PalisadeAPI",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CSeccomp", pkgConfig: "libseccomp", providers: [.apt(["libseccomp-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The container launcher: what runs between fork and exec must be C (no Swift in the child).
        .target(name: "CContainer"),
        .target(
            name: "PalisadeRuntime",
            dependencies: ["CContainer", "CSeccomp", "CZlib", "PalisadeAPI", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeAgent",
            dependencies: [
                "PalisadeAPI", "PalisadeAuth", "PalisadeClient", "PalisadeControllers", "PalisadeRuntime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeSecrets",
            dependencies: [
                "CSodium", "PalisadeAPI", "PalisadeStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeAudit",
            dependencies: [
                "PalisadeAPI", "PalisadeAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeAdmission",
            dependencies: ["PalisadeAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeAuth",
            dependencies: [
                "PalisadeAPI",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeGateway",
            dependencies: [
                "PalisadeAPI", "PalisadeStore", "PalisadeAuth", "PalisadeSecrets", "PalisadeAdmission", "PalisadeAudit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeClient",
            dependencies: [
                "PalisadeAPI", "PalisadeAuth",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeControllers",
            dependencies: [
                "PalisadeAPI", "PalisadeAuth", "PalisadeClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .target(
            name: "PalisadeTesting",
            dependencies: [
                "PalisadeAPI", "PalisadeStore", "PalisadeAuth", "PalisadeGateway", "PalisadeClient", "PalisadeSecrets",
                "PalisadeAdmission", "PalisadeAudit", "PalisadeControllers",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "palisade",
            dependencies: [
                "PalisadeAPI", "PalisadeStore", "PalisadeAuth", "PalisadeGateway", "PalisadeSecrets", "PalisadeClient",
                "PalisadeAdmission", "PalisadeAudit", "PalisadeControllers", "PalisadeRuntime", "PalisadeAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "palisade-bench",
            dependencies: [
                "PalisadeAPI", "PalisadeStore", "PalisadeClient", "PalisadeAuth", "PalisadeSecrets", "PalisadeAdmission",
                "PalisadeGateway", "PalisadeAudit", "PalisadeControllers", "PalisadeTesting", "PalisadeRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .executableTarget(
            name: "kauth",
            dependencies: [
                "PalisadeAPI", "PalisadeAuth", "PalisadeAudit", "PalisadeClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "PalisadeAPITests", dependencies: ["PalisadeAPI"], swiftSettings: upcoming),
        .testTarget(name: "PalisadeStoreTests", dependencies: ["PalisadeStore"], swiftSettings: upcoming),
        .testTarget(name: "PalisadeSecretsTests", dependencies: ["PalisadeSecrets", "PalisadeStore", "PalisadeAPI"], swiftSettings: upcoming),
        .testTarget(
            name: "PalisadeAdmissionTests",
            dependencies: ["PalisadeAdmission", "PalisadeAPI"],
            exclude: ["Fixtures"],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PalisadeAuditTests",
            dependencies: [
                "PalisadeAudit", "PalisadeAPI", "PalisadeAuth",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(
            name: "PalisadeControllersTests",
            dependencies: ["PalisadeControllers", "PalisadeTesting", "PalisadeClient", "PalisadeAPI", "PalisadeAuth"],
            swiftSettings: upcoming
        ),
        .testTarget(name: "PalisadeRuntimeTests", dependencies: ["PalisadeRuntime", "PalisadeAPI"], swiftSettings: upcoming),
        .testTarget(
            name: "PalisadeAgentTests",
            dependencies: [
                "PalisadeAgent", "PalisadeRuntime", "PalisadeTesting", "PalisadeClient", "PalisadeAPI", "PalisadeAuth", "PalisadeControllers",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: upcoming
        ),
        .testTarget(name: "PalisadeAuthTests", dependencies: ["PalisadeAuth", "PalisadeTesting"], swiftSettings: upcoming),
        .testTarget(
            name: "PalisadeGatewayTests",
            dependencies: [
                "PalisadeAPI", "PalisadeStore", "PalisadeAuth", "PalisadeGateway", "PalisadeTesting", "PalisadeClient",
                "PalisadeSecrets", "PalisadeAdmission", "PalisadeAudit",
            ],
            swiftSettings: upcoming
        ),
    ]
)
