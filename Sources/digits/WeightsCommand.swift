// `digits weights`: what the first layer learned to look for, as pictures.

import ArgumentParser
import Foundation

struct Weights: DigitsCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Draw the first layer's weights: one 28×28 tile a hidden unit, or one 5×5 tile a filter of a CNN's first convolution."
    )

    @OptionGroup var common: CommonOptions

    func run() throws {
        let network = try ModelFile.load(common.model).network
        try OutputFolder.create(common.output)
        let path = (common.output as NSString).appendingPathComponent("weights.png")
        try Pictures.weightGrid(of: network).writePNG(to: path)
        print("wrote \(path)")
    }
}
