// `digits bench`'s rows for the reference engine: the same networks and recipe as the fast
// rows, on fewer images (ReferenceNet is plain loops, hundreds of times slower).

import DigitData
import NeuralNet
import ReferenceNet

extension Bench {
    /// The reference engine's figures for the network of `configuration` (whose `epochs` is
    /// the warm-up plus the timed epochs) on `trainingSet` and `testSet`: the median timed
    /// epoch, and the median of `passes` inference passes in batches of 1000 after a warm-up.
    func measureReference(_ configuration: TrainingConfiguration, trainingSet: Dataset, testSet: Dataset,
                          passes: Int) throws -> Figures {
        let network = configuration.makeReferenceNetwork(inputCount: trainingSet.featureCount, classCount: 10)
        let trainer = configuration.makeReferenceTrainer(for: network)
        let samples = trainingSet.referenceSamples, labels = trainingSet.referenceLabels
        var seconds: [Double] = []
        for epoch in 1...configuration.epochs {
            let start = ContinuousClock.now
            _ = try trainer.trainEpoch(samples: samples, labels: labels)
            if epoch > 1 { seconds.append(Self.seconds(ContinuousClock.now - start)) }
        }
        let epochSeconds = Self.median(seconds)

        var inferSeconds: [Double] = []
        var accuracy = 0.0
        for pass in 0...passes {
            let start = ContinuousClock.now
            let evaluation = EngineNetwork.referenceEvaluation(network, on: testSet, batchSize: 1000)
            if pass > 0 { inferSeconds.append(Self.seconds(ContinuousClock.now - start)) }
            accuracy = evaluation.accuracy
        }
        return Figures(
            network: configuration.makeNetwork(inputCount: trainingSet.featureCount, classCount: 10).description,
            trainRate: Double(trainingSet.count) / epochSeconds, epochSeconds: epochSeconds,
            inferRate: Double(testSet.count) / Self.median(inferSeconds),
            fastestInferRate: Double(testSet.count) / inferSeconds.min()!, accuracy: accuracy)
    }
}
