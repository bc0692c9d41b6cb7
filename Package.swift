// swift-tools-version:6.0
import PackageDescription

/// The network's kernels are SIMD code; without `-target-cpu native` Swift targets
/// baseline x86-64 (SSE2) and they run about 4× slower (see the README's Performance section).
let nativeCPU: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native"])]

/// The network is optimised even in debug builds, so `swift test` trains its small models in
/// seconds rather than minutes; `-enable-testing` still lets the tests see internals.
let alwaysOptimized: [SwiftSetting] = [.unsafeFlags(["-O"])]

/// A release `digits` links the Swift runtime and Foundation statically on Linux: loading and
/// binding their shared libraries was about half of `digits classify`'s start-up (see
/// bench/classify_latency.sh). The flag is needed when compiling too, so that the module names
/// the static libraries Foundation itself depends on (ICU and others). Debug builds, and so
/// `swift test`, link dynamically.
let staticRuntimeInRelease = BuildSettingCondition.when(platforms: [.linux], configuration: .release)

let package = Package(
    name: "digits",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "digits", targets: ["digits"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "DigitData", targets: ["DigitData"]),
        .library(name: "DigitRender", targets: ["DigitRender"]),
        .library(name: "PNG", targets: ["PNG"]),
        .library(name: "JPEG", targets: ["JPEG"]),
        .library(name: "ReferenceNet", targets: ["ReferenceNet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"]), .brew(["libpng"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "PNG", dependencies: ["CPNG"]),
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg-dev"]), .brew(["jpeg-turbo"])]
        ),
        // libjpeg's classic API wrapped in C: its errors longjmp, which Swift frames must not see.
        .target(name: "CJPEGCodec", dependencies: ["CJPEG"]),
        .target(name: "JPEG", dependencies: ["PNG", "CJPEGCodec"]),
        .target(name: "ReferenceNet"),
        .target(name: "NeuralNet", dependencies: ["CIntrinsics"], swiftSettings: nativeCPU + alwaysOptimized),
        // CPU instructions Swift does not emit itself: the prefetch hint and the vector square root.
        .target(name: "CIntrinsics"),
        .target(name: "DigitData", dependencies: ["PNG", "JPEG", "CZlib", "CIntrinsics"], swiftSettings: nativeCPU),
        .target(name: "DigitRender", dependencies: ["PNG"]),
        // The strongest model, compiled into the executable (bench/make_builtin_model.sh makes it).
        .target(name: "BuiltInModel", exclude: ["model.safetensors"]),
        .executableTarget(
            name: "digits",
            dependencies: [
                "NeuralNet", "ReferenceNet", "DigitData", "DigitRender", "PNG", "BuiltInModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: nativeCPU + [.unsafeFlags(["-static-stdlib"], staticRuntimeInRelease)],
            linkerSettings: [.unsafeFlags(["-static-stdlib"], staticRuntimeInRelease)]
        ),
        // Test support: writes PNG files of every kind byte by byte, so tests make their own fixtures.
        .target(name: "PNGFixtures", dependencies: ["CZlib"], path: "Tests/PNGFixtures"),
        .testTarget(name: "PNGTests", dependencies: ["PNG", "PNGFixtures", "CZlib"]),
        .testTarget(name: "JPEGTests", dependencies: ["JPEG", "PNG"]),
        .testTarget(name: "DigitDataTests", dependencies: ["DigitData", "PNG", "JPEG", "PNGFixtures", "CZlib"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet"], swiftSettings: nativeCPU),
        .testTarget(name: "ReferenceNetTests", dependencies: ["ReferenceNet", "NeuralNet"], swiftSettings: nativeCPU),
        .testTarget(name: "DigitRenderTests", dependencies: ["DigitRender", "PNG"]),
        .testTarget(name: "DigitsTests", dependencies: ["digits"]),
    ],
    swiftLanguageModes: [.v6]
)
