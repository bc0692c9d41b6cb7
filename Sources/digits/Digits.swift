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
        subcommands: [MainJob.self, Train.self, Evaluate.self, Classify.self, Sheet.self, Weights.self],
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
        do {
            var runnable = command
            try runnable.run()
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch let error as CleanExit {
            Self.exit(withError: error)
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

/// A runtime failure described for a person: what went wrong and, where possible, what to do.
struct RuntimeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
