// `digits sheet`: a contact sheet of test digits with the model's verdict on each.

import ArgumentParser
import DigitData
import Foundation
import NeuralNet

struct Sheet: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "Draw test digits in a grid, framed green when the model is right and red when wrong."
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "How many digits to show.")
    var count = 100

    @Option(help: "Digits a row.")
    var columns = 10

    @Flag(name: .customLong("errors-only"), help: "Show only digits the model gets wrong.")
    var errorsOnly = false

    @Flag(help: "Take a seeded random sample of the test images instead of the first ones.")
    var random = false

    @Option(help: "Seed for --random.")
    var seed: UInt64 = 1

    func validate() throws {
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000") }
        guard (1...100).contains(columns) else { throw ValidationError("--columns must be between 1 and 100") }
    }

    func run() throws {
        let checkpoint = try ModelFile.load(common.model)
        let testSet = try MNISTLoading.load(.test, from: common.data)
        let path = try Self.write(network: checkpoint.network, testSet: testSet, count: count, columns: columns,
                                  errorsOnly: errorsOnly, random: random ? seed : nil, outputFolder: common.output)
        print("wrote \(path)")
    }

    /// Chooses the digits, draws the sheet and writes `contact-sheet.png`; returns its path.
    static func write(network: Network, testSet: Dataset, count: Int, columns: Int, errorsOnly: Bool,
                      random seed: UInt64?, outputFolder: String) throws -> String {
        let evaluation = try network.evaluate(on: testSet)
        var order = Array(0..<testSet.count)
        var note = "the first test images"
        if let seed {
            var generator = SeededGenerator(seed: seed)
            order = testSet.shuffledIndices(using: &generator)
            note = "a random sample (seed \(seed))"
        }
        if errorsOnly {
            order = order.filter { evaluation.predictions[$0] != evaluation.labels[$0] }
            note = "errors among " + note
        }
        let chosen = Array(order.prefix(count))
        guard !chosen.isEmpty else { throw RuntimeError("no test images to show: the model makes no errors on them") }
        try OutputFolder.create(outputFolder)
        let path = (outputFolder as NSString).appendingPathComponent("contact-sheet.png")
        try Pictures.contactSheet(indices: chosen, of: testSet, network: network, accuracy: evaluation.accuracy,
                                  columns: columns, note: note).writePNG(to: path)
        return path
    }
}
