import Testing
@testable import NeuralNet

@Suite("Evaluation")
struct EvaluationTests {
    // Labels 0,0,0,1,1,2 predicted 0,0,1,1,1,0.
    let evaluation = Evaluation(predictions: [0, 0, 1, 1, 1, 0], labels: [0, 0, 0, 1, 1, 2], classCount: 3)

    @Test("Accuracy and the confusion matrix, rows actual and columns predicted")
    func confusion() {
        #expect(evaluation.confusionMatrix == [[2, 1, 0], [0, 2, 0], [1, 0, 0]])
        #expect(evaluation.correctCount == 4)
        #expect(evaluation.accuracy == 4.0 / 6.0)
        #expect(evaluation.errorIndices == [2, 5])
    }

    @Test("Per-class precision and recall, 0 where undefined")
    func precisionAndRecall() {
        #expect(evaluation.precision(of: 0) == 2.0 / 3.0)
        #expect(evaluation.recall(of: 0) == 2.0 / 3.0)
        #expect(evaluation.precision(of: 1) == 2.0 / 3.0)
        #expect(evaluation.recall(of: 1) == 1)
        #expect(evaluation.precision(of: 2) == 0)
        #expect(evaluation.recall(of: 2) == 0)
    }

    @Test("Probabilities sum to 1; top-k is sorted and agrees with predict")
    func topPredictions() {
        let network = Network(inputCount: 4, hiddenLayerSizes: [6], outputCount: 5, seed: 3)
        let input = randomMatrix(rows: 3, columns: 4, seed: 4)
        let probabilities = network.probabilities(for: input)
        for row in 0..<3 {
            #expect(abs(probabilities.row(row).reduce(0, +) - 1) < 1e-5)
        }
        let top = network.topPredictions(for: input, count: 3)
        let predicted = network.predict(input)
        for row in 0..<3 {
            #expect(top[row].count == 3)
            #expect(top[row][0].label == predicted[row])
            #expect(top[row].map(\.probability) == top[row].map(\.probability).sorted(by: >))
            #expect(top[row][0].probability == probabilities[row, predicted[row]])
        }
        #expect(network.topPredictions(for: input, count: 99)[0].count == 5)
        #expect(network.description == "4-6-5")
    }

    @Test("Evaluating a source in batches matches predicting all at once")
    func evaluateInBatches() throws {
        let network = Network(inputCount: 4, hiddenLayerSizes: [6], outputCount: 3, seed: 5)
        let features = randomMatrix(rows: 23, columns: 4, seed: 6)
        let labels = (0..<23).map { $0 % 3 }
        let result = try network.evaluate(on: InMemoryBatchSource(features: features, labels: labels), batchSize: 5)
        #expect(result.predictions == network.predict(features))
        #expect(result.labels == labels)
    }
}
