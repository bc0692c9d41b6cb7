// How far to trust a network's probabilities: temperature scaling (Guo et al., 2017), the
// expected calibration error, and the rule that turns low confidence into "I don't know".

import Foundation

/// A network's confidence, corrected, and when to refuse an answer.
///
/// A network trained with cross-entropy is usually over-confident: of the inputs it calls 99%
/// sure, fewer than 99% are right. Temperature scaling divides every logit by one number
/// `T > 1` before the softmax, `p = softmax(z / T)`, fitted on samples the network was not
/// trained on. It changes no prediction (the largest logit stays the largest), only how sure
/// each one claims to be.
///
/// A network may also have a class of its own for "none of these" (`rejectClass`), trained
/// on examples that belong to no class. An answer is refused when that class wins by more
/// than `rejectMargin` (it is more than `e^rejectMargin` times as probable as the best real
/// class), or when the winning class's calibrated probability is below `threshold`.
public struct Calibration: Codable, Equatable, Sendable {
    /// The logits are divided by this before the softmax.
    public var temperature: Float
    /// A winning probability below this is refused (0 refuses nothing on confidence).
    public var threshold: Float
    /// The class that means "none of the others", when the network has one.
    public var rejectClass: Int?
    /// How far the reject class must lead the best real class to refuse, in calibrated
    /// log-odds: refuse when `log p_reject − log p_best > rejectMargin`. 0 lets the reject
    /// class refuse whenever it is the most probable; a margin keeps the few real samples
    /// that look half like "none of these" (odd handwriting) from being refused.
    public var rejectMargin: Float

    public init(temperature: Float = 1, threshold: Float = 0, rejectClass: Int? = nil, rejectMargin: Float = 0) {
        self.temperature = temperature
        self.threshold = threshold
        self.rejectClass = rejectClass
        self.rejectMargin = rejectMargin
    }

    private enum CodingKeys: String, CodingKey {
        case temperature, threshold, rejectClass, rejectMargin
    }

    /// Reads a calibration; one written before the margin existed has a margin of 0.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        temperature = try container.decode(Float.self, forKey: .temperature)
        threshold = try container.decode(Float.self, forKey: .threshold)
        rejectClass = try container.decodeIfPresent(Int.self, forKey: .rejectClass)
        rejectMargin = try container.decodeIfPresent(Float.self, forKey: .rejectMargin) ?? 0
    }

    /// `softmax(logits / temperature)`, computed as `exp(zᵢ/T − max/T) / Σ exp(zⱼ/T − max/T)`
    /// so that no exponent overflows.
    public func probabilities(forLogits logits: some Collection<Float>) -> [Float] {
        Self.softmax(logits, temperature: temperature)
    }

    /// What the calibrated `probabilities` say: the winning class, or nil when the answer is
    /// refused, with the best class that is not the reject class as the guess. With
    /// `refusing` false the guess is always the answer.
    public func decision(for probabilities: [Float], refusing: Bool = true) -> Decision {
        let candidates = probabilities.indices.filter { $0 != rejectClass }
        let guess = candidates.max { probabilities[$0] < probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 > $1) } ?? 0
        if !refusing {
            return Decision(answer: guess, guess: guess, confidence: probabilities[guess], reason: nil)
        }
        if let rejectClass, probabilities.indices.contains(rejectClass),
           Self.logOdds(probabilities[rejectClass], over: probabilities[guess]) > rejectMargin {
            return Decision(answer: nil, guess: guess, confidence: probabilities[guess], reason: .rejectClass)
        }
        if probabilities[guess] < threshold {
            return Decision(answer: nil, guess: guess, confidence: probabilities[guess], reason: .lowConfidence)
        }
        return Decision(answer: guess, guess: guess, confidence: probabilities[guess], reason: nil)
    }

    /// The outcome of `decision(for:)`.
    public struct Decision: Equatable, Sendable {
        /// The class, or nil when the answer is refused.
        public var answer: Int?
        /// The most probable class other than the reject class.
        public var guess: Int
        /// The calibrated probability of `guess`.
        public var confidence: Float
        /// Why the answer was refused; nil when it was not.
        public var reason: RefusalReason?
    }

    /// Why an answer was refused.
    public enum RefusalReason: String, Equatable, Sendable {
        /// The reject class was the most probable.
        case rejectClass = "looks like no class"
        /// The best class was below the threshold.
        case lowConfidence = "too unsure"
    }

    // MARK: Fitting

    /// `log(p / q)`, the log-odds of one probability over another; a zero `q` counts as the
    /// smallest positive float so the answer stays finite.
    static func logOdds(_ p: Float, over q: Float) -> Float {
        Foundation.log(max(p, .leastNormalMagnitude)) - Foundation.log(max(q, .leastNormalMagnitude))
    }

    /// The calibration fitted on held-out samples, so that refusing costs at most
    /// `refusalBudget` (a fraction) of the held-out samples of real classes whose best real
    /// class is right:
    ///
    /// 1. the temperature by `fittedTemperature`;
    /// 2. the smallest reject margin of 0, 0.25, …, 8 at which the reject class refuses no more
    ///    of those right answers than the budget allows;
    /// 3. the highest threshold of 0.05, …, 0.9 that keeps the refusals of both kinds within
    ///    the budget (0 when none does).
    ///
    /// Held-out samples are easier than new ones (they come from the same writers as the
    /// training set), so the budget is best set below the cost one can accept on a test set.
    public static func fitted(logits: [Float], labels: [Int], classCount: Int, rejectClass: Int?,
                              refusalBudget: Double = 0.0002) -> Calibration {
        let temperature = fittedTemperature(logits: logits, labels: labels, classCount: classCount)
        var calibration = Calibration(temperature: temperature, threshold: 0, rejectClass: rejectClass)
        // For each held-out real sample whose best real class is right: how far the reject
        // class leads that class, and the class's probability.
        var rightLeads: [Float] = [], rightConfidences: [Float] = []
        var realCount = 0
        for (row, label) in labels.enumerated() where label != rejectClass {
            realCount += 1
            let probabilities = calibration.probabilities(forLogits: logits[row * classCount ..< (row + 1) * classCount])
            let decision = calibration.decision(for: probabilities, refusing: false)
            guard decision.guess == label else { continue }
            rightConfidences.append(decision.confidence)
            if let rejectClass, probabilities.indices.contains(rejectClass) {
                rightLeads.append(logOdds(probabilities[rejectClass], over: decision.confidence))
            }
        }
        let allowed = Int(refusalBudget * Double(realCount))
        func refusedRight(margin: Float, threshold: Float) -> Int {
            var count = 0
            for (index, confidence) in rightConfidences.enumerated() {
                let byRejectClass = index < rightLeads.count && rightLeads[index] > margin
                if byRejectClass || confidence < threshold { count += 1 }
            }
            return count
        }
        if rejectClass != nil {
            for step in 0...32 where refusedRight(margin: Float(step) * 0.25, threshold: 0) <= allowed {
                calibration.rejectMargin = Float(step) * 0.25
                break
            }
        }
        for step in stride(from: 18, through: 1, by: -1)
        where refusedRight(margin: calibration.rejectMargin, threshold: Float(step) * 0.05) <= allowed {
            calibration.threshold = Float(step) * 0.05
            break
        }
        return calibration
    }

    /// The temperature that minimises the mean negative log-likelihood of `labels` under
    /// `softmax(logits / T)`, `logits` being `[labels.count, classCount]` row by row.
    ///
    /// The NLL is convex in `1/T`, so a golden-section search over `log T` in [−3, 3]
    /// (T from 0.05 to 20) finds the minimum; 60 steps narrow it below 1e-6.
    public static func fittedTemperature(logits: [Float], labels: [Int], classCount: Int) -> Float {
        precondition(logits.count == labels.count * classCount, "one row of logits a label")
        guard !labels.isEmpty else { return 1 }
        func loss(_ logTemperature: Double) -> Double {
            negativeLogLikelihood(logits: logits, labels: labels, classCount: classCount,
                                  temperature: Float(Foundation.exp(logTemperature)))
        }
        let ratio = (5.0.squareRoot() - 1) / 2
        var (low, high) = (-3.0, 3.0)
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var (lossA, lossB) = (loss(a), loss(b))
        for _ in 0..<60 {
            if lossA < lossB {
                high = b; b = a; lossB = lossA
                a = high - ratio * (high - low); lossA = loss(a)
            } else {
                low = a; a = b; lossA = lossB
                b = low + ratio * (high - low); lossB = loss(b)
            }
        }
        return Float(Foundation.exp((low + high) / 2))
    }

    /// The mean of `−log softmax(z / T)[label]` over the rows.
    public static func negativeLogLikelihood(logits: [Float], labels: [Int], classCount: Int, temperature: Float) -> Double {
        var total = 0.0
        for (row, label) in labels.enumerated() {
            let z = logits[row * classCount ..< (row + 1) * classCount].map { Double($0 / temperature) }
            let largest = z.max()!
            let logSum = largest + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - largest) })
            total += logSum - z[label]
        }
        return total / Double(labels.count)
    }

    /// The expected calibration error: the samples binned by the probability of their
    /// predicted class into `binCount` equal bins of [0, 1], and
    /// `Σ_bins (n_bin / n) · |accuracy_bin − mean confidence_bin|`.
    /// A perfectly calibrated model scores 0.
    public static func expectedCalibrationError(confidences: [Float], correct: [Bool], binCount: Int = 15) -> Double {
        precondition(confidences.count == correct.count, "one confidence a sample")
        guard !confidences.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: binCount)
        var rightCounts = [Int](repeating: 0, count: binCount)
        var confidenceSums = [Double](repeating: 0, count: binCount)
        for (confidence, isRight) in zip(confidences, correct) {
            let bin = min(binCount - 1, max(0, Int(Double(confidence) * Double(binCount))))
            counts[bin] += 1
            rightCounts[bin] += isRight ? 1 : 0
            confidenceSums[bin] += Double(confidence)
        }
        var error = 0.0
        for bin in 0..<binCount where counts[bin] > 0 {
            let n = Double(counts[bin])
            error += n / Double(confidences.count) * abs(Double(rightCounts[bin]) / n - confidenceSums[bin] / n)
        }
        return error
    }

    /// `softmax(z / T)`, shifted by the largest logit so that no exponent overflows.
    static func softmax(_ logits: some Collection<Float>, temperature: Float) -> [Float] {
        guard let largest = logits.max() else { return [] }
        let exponentials = logits.map { Foundation.exp(($0 - largest) / temperature) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }
}
