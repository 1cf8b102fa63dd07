// swift-tools-version:6.1
// Builds only the two protoc plugins that proto/generate.sh runs (protoc-gen-swift and
// protoc-gen-grpc-swift-2), from the same package versions the app links, into .build-protoc/.
import PackageDescription

let package = Package(
    name: "ArbiterProtocPlugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "2.4.1"),
    ],
    targets: []
)
