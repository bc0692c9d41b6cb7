// The options every command shares: where the data, the model and the pictures live.

import ArgumentParser

struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder holding the four MNIST IDX files (.gz or plain).", valueName: "dir"))
    var data = "data/mnist"

    @Option(name: .long, help: ArgumentHelp("The model checkpoint (safetensors) to read or write.", valueName: "file"))
    var model = "output/model.safetensors"

    @Option(name: .long, help: ArgumentHelp("Folder for the pictures the command writes.", valueName: "dir"))
    var output = "output"
}
