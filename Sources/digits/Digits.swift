import ArgumentParser

@main
struct Digits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Train a neural network on MNIST and read handwritten digits."
    )

    func run() throws {
        print("digits: the commands arrive with the command-line issue.")
    }
}
