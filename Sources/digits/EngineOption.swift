// `--engine reference|fast`: which of the two engines runs a command's network.

import ArgumentParser

/// The two engines: `NeuralNet`, written for speed, and `ReferenceNet`, written to be read
/// (and the oracle the fast one is tested against). Both read and write the same checkpoint.
enum Engine: String, CaseIterable, ExpressibleByArgument, Sendable {
    case reference
    case fast
}

/// The `--engine` option of `train`, `evaluate` and `classify`.
struct EngineOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The engine that runs the network: fast (NeuralNet) or reference (ReferenceNet, plain Swift written to be read; much slower). The checkpoint is the same either way.",
        valueName: "reference|fast"))
    var engine: Engine = .fast
}
