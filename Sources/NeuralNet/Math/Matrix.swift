// The one storage convention of the module: a flat row-major `[Float]` in which rows are
// samples. A batch of inputs is `[batch, features]`; element `(i, j)` is `values[i * columns + j]`.

/// A dense row-major matrix of `Float`: `rows` samples, each a vector of `columns` features.
public struct Matrix: Equatable, Sendable {
    /// The number of rows (samples).
    public private(set) var rows: Int
    /// The number of columns (features per sample).
    public let columns: Int
    /// The elements, row after row: element `(i, j)` is `values[i * columns + j]`.
    public internal(set) var values: [Float]

    /// A `rows × columns` matrix with every element set to `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.values = [Float](repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix over the given row-major elements.
    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Matrix of \(rows)×\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The element in row `row` and column `column`.
    public subscript(row: Int, column: Int) -> Float {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The elements of one row.
    public func row(_ index: Int) -> ArraySlice<Float> {
        values[index * columns ..< (index + 1) * columns]
    }

    /// Changes the number of rows, keeping the storage's capacity.
    ///
    /// A layer's buffer sized for the full batch shrinks for the last, partial batch and
    /// grows back for the next epoch without allocating. New rows are zero.
    mutating func resizeRows(_ newRows: Int) {
        guard newRows != rows else { return }
        resize(&values, to: newRows * columns)
        rows = newRows
    }
}
