// The `digits` command: the root of the command tree and the one place where runtime
// errors become a single `error: …` line and exit code 1.

import ArgumentParser
import Foundation

@main
struct Digits: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digits",
        abstract: "Train a neural network on MNIST, read handwritten digits, and draw what it learned.",
        discussion: """
            With no subcommand, digits runs the main job: train the default network (or reuse \
            the saved one), evaluate it on the 10,000 test images, write the pictures, and \
            classify the PNG files in samples/.
            """,
        version: "1.0.0",
        // Each subcommand sets its own `commandName`: otherwise the parser derives it from the
        // type with `String(describing:)`, whose protocol-conformance lookups every run pays for.
        subcommands: [MainJob.self, Train.self, Evaluate.self, Classify.self, Read.self, Sheet.self, Weights.self, Bench.self],
        defaultSubcommand: MainJob.self
    )

    /// Parses the arguments and runs the command. Usage errors keep the argument parser's
    /// own message and exit code; anything thrown while running prints one line
    /// `error: …` on standard error and exits 1.
    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        var runnable = command
        guard command is any DigitsCommand else {
            // The parser's own commands (help, version) report through the parser.
            do { try runnable.run() } catch { exit(withError: error) }
            return
        }
        do {
            try runnable.run()
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            FileHandle.standardError.write(Data("error: \(message(for: error))\n".utf8))
            Foundation.exit(1)
        }
    }

    /// A one-line description of `error`: its own `description` when it has one.
    static func message(for error: any Error) -> String {
        let text = String(describing: error)
        return text.replacingOccurrences(of: "\n", with: " ")
    }
}

/// A command of ours: anything it throws while running is a runtime error, reported as one
/// `error: …` line with exit code 1.
protocol DigitsCommand: ParsableCommand {}

/// A runtime failure described for a person: what went wrong and, where possible, what to do.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
