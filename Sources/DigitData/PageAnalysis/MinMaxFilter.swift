// The minimum and the maximum of a grey picture over a square window about each pixel
// (erosion and dilation), in a constant number of steps a pixel whatever the window's size.

/// Square-window minimum and maximum filters: the parts of the background estimate's opening.
///
/// van Herk's and Gil and Werman's algorithm: cut a line into blocks of `w = 2r + 1` samples
/// and keep for each sample the extremum from its block's start to it (`prefix`) and from it
/// to its block's end (`suffix`). A window of `w` samples starting at `i` spans at most two
/// blocks, so its extremum is `pick(suffix[i], prefix[i + w − 1])`: three comparisons a
/// sample for any radius. Each line is padded with `r` neutral values (255 for a minimum, 0
/// for a maximum) at both ends, so a window at the picture's edge takes only the pixels
/// inside it. The square window is a pass along the rows and then one down the columns; the
/// column pass works a whole row at a time, so its inner loops run along memory and vectorise.
enum MinMaxFilter {
    /// `output[x, y]` = the minimum of `pixels` over `|dx| ≤ radius, |dy| ≤ radius`.
    static func minimum(_ pixels: [UInt8], width: Int, height: Int, radius: Int) -> [UInt8] {
        filter(pixels, width: width, height: height, radius: radius, Smallest.self)
    }

    /// `output[x, y]` = the maximum of `pixels` over `|dx| ≤ radius, |dy| ≤ radius`.
    static func maximum(_ pixels: [UInt8], width: Int, height: Int, radius: Int) -> [UInt8] {
        filter(pixels, width: width, height: height, radius: radius, Largest.self)
    }

    private static func filter<E: Extremum>(_ pixels: [UInt8], width: Int, height: Int, radius: Int,
                                            _: E.Type) -> [UInt8] {
        guard radius > 0, width > 0, height > 0 else { return pixels }
        var rows = [UInt8](repeating: 0, count: width * height)
        pixels.withUnsafeBufferPointer { source in
            rows.withUnsafeMutableBufferPointer { target in
                filterRows(source.baseAddress!, target.baseAddress!, width: width, height: height,
                           radius: radius, E.self)
            }
        }
        var output = [UInt8](repeating: 0, count: width * height)
        rows.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                filterColumns(source.baseAddress!, target.baseAddress!, width: width, height: height,
                              radius: radius, E.self)
            }
        }
        return output
    }

    /// Each row of `source` filtered along itself into `target`.
    private static func filterRows<E: Extremum>(_ source: UnsafePointer<UInt8>, _ target: UnsafeMutablePointer<UInt8>,
                                                width: Int, height: Int, radius: Int, _: E.Type) {
        let window = 2 * radius + 1
        let length = (width + 2 * radius + window - 1) / window * window
        let line = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * length)
        defer { line.deallocate() }
        let prefix = line + length, suffix = line + 2 * length
        line.initialize(repeating: E.identity, count: length)
        for y in 0..<height {
            (line + radius).update(from: source + y * width, count: width)
            var blockStart = 0
            while blockStart < length {
                let blockEnd = blockStart + window
                var running = line[blockStart]
                prefix[blockStart] = running
                for i in (blockStart + 1)..<blockEnd {
                    running = E.pick(running, line[i])
                    prefix[i] = running
                }
                running = line[blockEnd - 1]
                suffix[blockEnd - 1] = running
                var i = blockEnd - 2
                while i >= blockStart {
                    running = E.pick(running, line[i])
                    suffix[i] = running
                    i -= 1
                }
                blockStart = blockEnd
            }
            let row = target + y * width
            for x in 0..<width {
                row[x] = E.pick(suffix[x], prefix[x + 2 * radius])
            }
        }
    }

    /// Each column of `source` filtered along itself into `target`, whole rows at a time.
    private static func filterColumns<E: Extremum>(_ source: UnsafePointer<UInt8>, _ target: UnsafeMutablePointer<UInt8>,
                                                   width: Int, height: Int, radius: Int, _: E.Type) {
        let window = 2 * radius + 1
        let rows = (height + 2 * radius + window - 1) / window * window
        let prefix = UnsafeMutablePointer<UInt8>.allocate(capacity: 2 * rows * width)
        defer { prefix.deallocate() }
        let suffix = prefix + rows * width
        // Row j of the padded picture is row j − radius of `source`, or neutral outside it.
        func sourceRow(_ j: Int) -> UnsafePointer<UInt8>? {
            j >= radius && j < radius + height ? source + (j - radius) * width : nil
        }
        for j in 0..<rows {
            let out = prefix + j * width
            let row = sourceRow(j)
            if j % window == 0 {
                if let row { out.update(from: row, count: width) } else { out.update(repeating: E.identity, count: width) }
            } else if let row {
                let previous = out - width
                for x in 0..<width { out[x] = E.pick(previous[x], row[x]) }
            } else {
                out.update(from: out - width, count: width)
            }
        }
        var j = rows - 1
        while j >= 0 {
            let out = suffix + j * width
            let row = sourceRow(j)
            if j % window == window - 1 {
                if let row { out.update(from: row, count: width) } else { out.update(repeating: E.identity, count: width) }
            } else if let row {
                let next = out + width
                for x in 0..<width { out[x] = E.pick(next[x], row[x]) }
            } else {
                out.update(from: out + width, count: width)
            }
            j -= 1
        }
        for y in 0..<height {
            let out = target + y * width, low = suffix + y * width, high = prefix + (y + 2 * radius) * width
            for x in 0..<width { out[x] = E.pick(low[x], high[x]) }
        }
    }
}

/// Which extremum a filter keeps, and the value that never wins it (the padding).
protocol Extremum {
    static var identity: UInt8 { get }
    static func pick(_ a: UInt8, _ b: UInt8) -> UInt8
}

enum Smallest: Extremum {
    static var identity: UInt8 { 255 }
    @inline(__always) static func pick(_ a: UInt8, _ b: UInt8) -> UInt8 { min(a, b) }
}

enum Largest: Extremum {
    static var identity: UInt8 { 0 }
    @inline(__always) static func pick(_ a: UInt8, _ b: UInt8) -> UInt8 { max(a, b) }
}
