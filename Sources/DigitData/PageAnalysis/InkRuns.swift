// Connected-component labelling of an ink mask, run by run: each row's horizontal runs of
// ink, joined to the runs of the row above that they touch (8-connectivity).

/// The horizontal runs of a mask and the 8-connected components they form.
///
/// A run is a maximal stretch of one row whose mask value is `ink`. Two runs in consecutive
/// rows belong together when they overlap or touch at a corner (`[a, b)` and `[c, d)` with
/// `c ≤ b` and `a ≤ d`), which is 8-connectivity; a union–find over the runs (path halving,
/// the smaller index as the root) joins them, so a component's number is the order in which
/// its first run appears. The work is a scan of the mask plus a step a run, and a page is
/// mostly paper, so this is far cheaper than labelling pixel by pixel.
struct InkRuns {
    /// The row of each run.
    private(set) var rows: [Int32] = []
    /// The first column of each run.
    private(set) var starts: [Int32] = []
    /// One past the last column of each run.
    private(set) var ends: [Int32] = []
    /// The component of each run, `0 ..< componentCount`.
    private(set) var components: [Int32] = []
    private(set) var componentCount = 0

    /// The runs of the pixels of `mask` (`width × height`, row by row) equal to `ink`.
    init(_ mask: UnsafeBufferPointer<UInt8>, width: Int, height: Int, ink: UInt8) {
        var parent: [Int32] = []
        var previousRow = 0..<0
        for y in 0..<height {
            let row = mask.baseAddress! + y * width
            let firstRun = rows.count
            var x = 0
            while x < width {
                // Paper is most of a page: skip it eight bytes at a time.
                if x + 8 <= width && UnsafeRawPointer(row + x).loadUnaligned(as: UInt64.self) == 0 { x += 8; continue }
                guard row[x] == ink else { x += 1; continue }
                let start = x
                while x < width && row[x] == ink { x += 1 }
                rows.append(Int32(y)); starts.append(Int32(start)); ends.append(Int32(x))
                parent.append(Int32(parent.count))
            }
            // Join each run to the runs above it that it touches; both lists are sorted by column.
            var above = previousRow.lowerBound
            for run in firstRun..<rows.count {
                while above < previousRow.upperBound && ends[above] < starts[run] { above += 1 }
                var candidate = above
                while candidate < previousRow.upperBound && starts[candidate] <= ends[run] {
                    Self.union(&parent, run, candidate)
                    candidate += 1
                }
                // The last run touched may reach the next run of this row too.
                if candidate > above { above = candidate - 1 }
            }
            previousRow = firstRun..<rows.count
        }
        components = [Int32](repeating: 0, count: rows.count)
        var numbers = [Int32](repeating: -1, count: rows.count)
        for run in 0..<rows.count {
            let root = Int(Self.find(&parent, run))
            if numbers[root] < 0 {
                numbers[root] = Int32(componentCount)
                componentCount += 1
            }
            components[run] = numbers[root]
        }
    }

    var count: Int { rows.count }

    private static func find(_ parent: inout [Int32], _ run: Int) -> Int32 {
        var node = run
        while Int(parent[node]) != node {
            let grandparent = parent[Int(parent[node])]
            parent[node] = grandparent
            node = Int(grandparent)
        }
        return Int32(node)
    }

    private static func union(_ parent: inout [Int32], _ a: Int, _ b: Int) {
        let rootA = find(&parent, a), rootB = find(&parent, b)
        if rootA < rootB { parent[Int(rootB)] = rootA } else if rootB < rootA { parent[Int(rootA)] = rootB }
    }
}
