// How many threads the kernels may use. Results do not depend on it (see `gemm`), only speed.

import Synchronization

/// The most threads a kernel call may split its work over: 1 or 2. Defaults to 2.
public enum ComputeThreads {
    private static let storage = Atomic<Int>(2)

    /// The current limit. Setting it clamps to 1...2.
    public static var maximum: Int {
        get { storage.load(ordering: .relaxed) }
        set { storage.store(min(2, max(1, newValue)), ordering: .relaxed) }
    }
}
