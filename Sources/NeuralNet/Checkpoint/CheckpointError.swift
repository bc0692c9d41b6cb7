/// Why a checkpoint could not be written or read; the message names the file and the problem.
public struct CheckpointError: Error, CustomStringConvertible {
    /// The kind of problem, for code that reacts to it.
    public enum Reason: Equatable, Sendable {
        case unreadable, unwritable, fileTooLarge, truncated, headerTooLarge, invalidHeader
        case foreignFormat, unsupportedVersion, invalidMetadata, invalidArchitecture
        case unsupportedDType, invalidOffsets, missingTensor, unexpectedTensor, shapeMismatch
    }

    /// The checkpoint's path.
    public let path: String
    /// The kind of problem.
    public let reason: Reason
    /// What exactly is wrong.
    public let detail: String

    public init(path: String, reason: Reason, detail: String) {
        self.path = path
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(path): \(detail)" }
}
