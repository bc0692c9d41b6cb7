// `digits` with no subcommand: the whole pipeline on the bundled data.

import ArgumentParser

struct MainJob: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train (or reuse) the default network, evaluate it, draw the pictures and classify samples/."
    )

    @OptionGroup var common: CommonOptions

    func run() throws {
        throw RuntimeError("the main job is being wired up")
    }
}
