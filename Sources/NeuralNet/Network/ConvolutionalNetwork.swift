// The convolutional network of issue 8: LeNet-style, as in the PyTorch reference
// (bench/reference.py --networks cnn).

extension Network {
    /// A LeNet-style network for `side × side` one-channel images:
    ///
    /// ```
    /// conv 5×5, 32 filters (valid) → max-pool 2 → ReLU
    /// conv 5×5, 64 filters (valid) → max-pool 2 → ReLU
    /// flatten → dense 128 → ReLU → [dropout] → dense classCount
    /// ```
    ///
    /// For 28×28 images the feature maps are 32×24×24, 32×12×12, 64×8×8, 64×4×4 (1,024 features).
    /// ReLU comes after pooling: max-pooling commutes with the rectifier
    /// (`max(relu(a), relu(b)) = relu(max(a, b))`), so the network computes the same function
    /// as conv → ReLU → pool with a quarter of the rectifier's work.
    ///
    /// Weights are drawn from `SeededGenerator(seed: seed)`; dropout masks from `seed` as well.
    public static func leNet(
        side: Int = 28, classCount: Int = 10, dropout: Float = 0,
        initializer: WeightInitializer = .he, seed: UInt64
    ) -> Network {
        var generator = SeededGenerator(seed: seed)
        let conv1 = Conv2D(inputChannels: 1, outputChannels: 32, kernelSize: 5, height: side, width: side,
                           padding: .valid, initializer: initializer, generator: &generator)
        let pool1 = MaxPool(channels: 32, height: conv1.outputHeight, width: conv1.outputWidth)
        let conv2 = Conv2D(inputChannels: 32, outputChannels: 64, kernelSize: 5,
                           height: pool1.outputHeight, width: pool1.outputWidth,
                           padding: .valid, initializer: initializer, generator: &generator)
        let pool2 = MaxPool(channels: 64, height: conv2.outputHeight, width: conv2.outputWidth)
        let features = pool2.outputCount
        var layers: [any Layer] = [
            conv1, pool1, ReLU(featureCount: pool1.outputCount),
            conv2, pool2, ReLU(featureCount: features),
            Flatten(featureCount: features),
            Dense(inputCount: features, outputCount: 128, initializer: initializer, generator: &generator),
            ReLU(featureCount: 128),
        ]
        if dropout > 0 {
            layers.append(Dropout(featureCount: 128, rate: dropout, seed: seed))
        }
        layers.append(Dense(inputCount: 128, outputCount: classCount, initializer: initializer, generator: &generator))
        return Network(layers: layers)
    }
}
