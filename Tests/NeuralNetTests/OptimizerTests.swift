// One or two optimiser steps against values worked out by hand from the update rules.

import Testing
@testable import NeuralNet

@Suite("Optimisers and schedules")
struct OptimizerTests {
    /// A weight (decayed) and a bias (not decayed), each with the given value and gradient.
    func parameters(weight: [Float], weightGradient: [Float], bias: Float = 0, biasGradient: Float = 0) -> [Parameter] {
        let w = Parameter(shape: [weight.count], isDecayed: true)
        w.value = weight
        w.gradient = weightGradient
        let b = Parameter(shape: [1], isDecayed: false)
        b.value = [bias]
        b.gradient = [biasGradient]
        return [w, b]
    }

    // MARK: SGD

    @Test("SGD: w − η·g")
    func plainStep() {
        let p = parameters(weight: [1, 2], weightGradient: [0.5, -1])
        SGD().update(p, learningRate: 0.1)
        #expect(p[0].value == [0.95, 2.1])
    }

    @Test("Plain SGD offers its step to the layers, and skips a parameter whose step was taken")
    func plainDescentRate() {
        let p = parameters(weight: [1, 2], weightGradient: [0.5, -1], bias: 1, biasGradient: 0.5)
        #expect(SGD().plainDescentRate(for: p[0], learningRate: 0.1) == 0.1)
        #expect(SGD(weightDecay: 0.01).plainDescentRate(for: p[0], learningRate: 0.1) == nil)
        #expect(SGD(weightDecay: 0.01).plainDescentRate(for: p[1], learningRate: 0.1) == 0.1)
        #expect(SGD(momentum: 0.9).plainDescentRate(for: p[0], learningRate: 0.1) == nil)
        #expect(Adam().plainDescentRate(for: p[0], learningRate: 0.1) == nil)
        p[0].isStepTaken = true
        SGD().update(p, learningRate: 0.1)
        #expect(p[0].value == [1, 2])
        #expect(!p[0].isStepTaken)
        #expect(p[1].value == [0.95])
    }

    @Test("SGD with weight decay adds λ·w to the weights' gradient only")
    func weightDecay() {
        let p = parameters(weight: [1, 2], weightGradient: [0.5, -1], bias: 1, biasGradient: 0.5)
        SGD(weightDecay: 0.01).update(p, learningRate: 0.1)
        // g = [0.5 + 0.01, −1 + 0.02] = [0.51, −0.98]; w = [1 − 0.051, 2 + 0.098]
        #expect(abs(p[0].value[0] - 0.949) < 1e-6)
        #expect(abs(p[0].value[1] - 2.098) < 1e-6)
        #expect(p[1].value == [0.95])
    }

    @Test("Momentum: v ← μv + g, w ← w − ηv over two steps")
    func momentum() {
        let p = parameters(weight: [1], weightGradient: [1])
        let optimizer = SGD(momentum: 0.9)
        optimizer.update(p, learningRate: 0.1)
        #expect(abs(p[0].value[0] - 0.9) < 1e-6)      // v = 1
        optimizer.update(p, learningRate: 0.1)
        #expect(abs(p[0].value[0] - 0.71) < 1e-6)     // v = 1.9, w = 0.9 − 0.19
        #expect(optimizer.state.stepCount == 2)
        #expect(optimizer.state.firstMoments[0] == [1.9])
    }

    @Test("Nesterov: w ← w − η(g + μv)")
    func nesterov() {
        let p = parameters(weight: [1], weightGradient: [1])
        let optimizer = SGD(momentum: 0.9, nesterov: true)
        optimizer.update(p, learningRate: 0.1)
        #expect(abs(p[0].value[0] - 0.81) < 1e-6)     // v = 1, w = 1 − 0.1·1.9
        optimizer.update(p, learningRate: 0.1)
        #expect(abs(p[0].value[0] - 0.539) < 1e-6)    // v = 1.9, w = 0.81 − 0.1·2.71
    }

    @Test("Adam: bias-corrected moments over two steps")
    func adam() {
        let p = parameters(weight: [1], weightGradient: [2])
        let optimizer = Adam()
        optimizer.update(p, learningRate: 0.1)
        // m = 0.2, v = 0.004; m̂ = 2, v̂ = 4; w = 1 − 0.1·2/2
        #expect(abs(p[0].value[0] - 0.9) < 1e-6)
        p[0].gradient = [-1]
        optimizer.update(p, learningRate: 0.1)
        // m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996;
        // m̂ = 0.08 / 0.19 = 0.421053, v̂ = 0.004996 / 0.001999 = 2.499250; w = 0.9 − 0.1·0.421053/1.580902
        #expect(abs(p[0].value[0] - 0.873366) < 1e-5)
        #expect(optimizer.state.stepCount == 2)
    }

    @Test("Optimiser state can be saved and restored")
    func stateRoundTrip() {
        let first = parameters(weight: [1, 2], weightGradient: [0.3, -0.2])
        let second = parameters(weight: [1, 2], weightGradient: [0.3, -0.2])
        let original = Adam()
        original.update(first, learningRate: 0.1)
        let resumed = Adam()
        resumed.state = original.state
        second[0].value = first[0].value
        original.update(first, learningRate: 0.1)
        resumed.update(second, learningRate: 0.1)
        #expect(first[0].value == second[0].value)
    }

    // MARK: Schedules

    @Test("Step schedule halves every two epochs")
    func stepSchedule() {
        let schedule = LearningRateSchedule.step(epochs: 2, factor: 0.5)
        let rates = (0..<5).map { schedule.learningRate(base: 0.1, epoch: $0, totalEpochs: 5) }
        #expect(rates == [0.1, 0.1, 0.05, 0.05, 0.025])
    }

    @Test("Cosine schedule starts at the base rate and is at half of it halfway")
    func cosineSchedule() {
        let schedule = LearningRateSchedule.cosine
        #expect(schedule.learningRate(base: 0.1, epoch: 0, totalEpochs: 10) == 0.1)
        #expect(abs(schedule.learningRate(base: 0.1, epoch: 5, totalEpochs: 10) - 0.05) < 1e-7)
        #expect(schedule.learningRate(base: 0.1, epoch: 9, totalEpochs: 10) > 0)
        #expect(LearningRateSchedule.constant.learningRate(base: 0.1, epoch: 7, totalEpochs: 10) == 0.1)
    }
}
