// The four pictures, each built from the model and data by handing plain numbers to DigitRender.

import DigitData
import DigitRender
import NeuralNet
import PNG

enum Pictures {
    /// Loss and accuracy per epoch.
    static func trainingChart(history: [EpochSummary], title: String) -> Canvas {
        TrainingChart(
            trainingLoss: history.map(\.trainLoss),
            trainAccuracy: history.map(\.trainAccuracy),
            testAccuracy: history.compactMap(\.testAccuracy),
            header: ["training \(title): \(history.count) epochs"]
        ).render()
    }

    /// The first dense layer's incoming weights, one 28×28 tile a hidden unit; or the first
    /// convolution's filters, one K×K tile a filter.
    static func weightGrid(of network: Network) throws -> Canvas {
        if let conv = network.layers.first as? Conv2D, conv.inputChannels == 1 {
            return WeightGrid(
                weights: conv.weight.value, tileWidth: conv.kernelSize, tileHeight: conv.kernelSize,
                header: ["\(network.shapeDescription): the \(conv.outputChannels) filters of the first convolution",
                         "blue negative, white zero, red positive"]
            ).render()
        }
        guard let first = network.layers.first as? Dense else {
            throw RuntimeError("the model's first layer has no weights to draw")
        }
        let kind = network.layers.count == 1 ? "output unit" : "hidden unit"
        return WeightGrid(
            weights: first.weight.valuesInShapeOrder,
            header: ["\(network.shapeDescription): incoming weights of each \(kind) of layer 1",
                     "blue negative, white zero, red positive"]
        ).render()
    }

    /// The confusion matrix as a heat map.
    static func confusionChart(_ evaluation: Evaluation, model: String) -> Canvas {
        ConfusionMatrixChart(
            counts: evaluation.confusionMatrix,
            // An eleventh class is "not a digit".
            classLabels: evaluation.classCount > 10 ? (0..<10).map(String.init) + ["x"] : nil,
            header: ["\(model) on \(evaluation.sampleCount) test images: \(percent(evaluation.accuracy)) correct"]
        ).render()
    }

    /// Test digits with the model's verdicts.
    static func contactSheet(
        indices: [Int], of testSet: Dataset, network: Network, accuracy: Double?, columns: Int, note: String
    ) -> Canvas {
        let predictions = network.topPredictions(for: testSet.inputMatrix(at: indices), count: 1)
        let tiles = zip(indices, predictions).map { index, top in
            ContactSheet.Tile(pixels: Array(testSet.image(at: index)), predicted: top[0].label,
                              truth: testSet.label(at: index), confidence: Double(top[0].probability))
        }
        let wrong = tiles.filter { !$0.isCorrect }.count
        var header = "model \(network.shapeDescription)"
        if let accuracy { header += ", test accuracy \(percent(accuracy))" }
        return ContactSheet(
            tiles: tiles, columns: columns,
            header: [header, "\(note): \(tiles.count) shown, \(wrong) wrong (red)"]
        ).render()
    }

    /// The steps from a person's picture to the network's input, side by side: the picture,
    /// its background-corrected ink, the ink mask that was kept, and the 28×28 (ink bright on
    /// black, as the network sees it; a blank panel when no ink was found).
    static func inputSteps(_ ink: PictureInk, networkInput: [UInt8]?) -> Canvas {
        let analysis = ink.analysis
        func panel(_ caption: String, _ image: Image) -> InputStrip.Panel {
            InputStrip.Panel(caption: caption, width: image.width, height: image.height, pixels: image.pixels)
        }
        let side = DigitNormalizer.side
        return InputStrip(panels: [
            panel("picture", ink.picture),
            panel("background removed", analysis.correctedImage),
            panel("ink kept", analysis.maskImage),
            InputStrip.Panel(caption: "28x28 input", width: side, height: side,
                             pixels: networkInput ?? [UInt8](repeating: 0, count: side * side)),
        ]).render()
    }
}
