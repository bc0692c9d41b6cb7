// What the CPU offers, for choosing among kernels at run time.

#if os(Linux)
import Foundation
#endif

/// Whether the CPU has AVX-512F (32 vector registers of 512 bits). Linux only: the flags
/// come from /proc/cpuinfo; elsewhere, and if it cannot be read, the answer is no.
func cpuHasAVX512() -> Bool {
    #if os(Linux) && arch(x86_64)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return info.contains(" avx512f")
    #else
    return false
    #endif
}
