// CPU instructions Swift does not emit by itself, as inline C functions:
//
// - the prefetch hint, that memory at an address will be read soon, so the cache starts
//   fetching it while the program goes on;
// - the vector square root. Swift's `Float.squareRoot()` goes through C's `sqrtf`, which must
//   set `errno` for a negative argument, so every lane gets its own test and branch and a loop
//   over them is never vectorised: Adam's update spent most of its time there;
// - the spin-wait hint, which tells the core that a loop is waiting for another thread.
#ifndef CINTRINSICS_H
#define CINTRINSICS_H

/// Starts loading the cache line holding `address` into the caches; returns at once.
static inline void prefetch_for_reading(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Eight floats, which Swift sees as `SIMD8<Float>`.
typedef float float8_vector __attribute__((ext_vector_type(8)));

/// The correctly rounded square root of each lane (IEEE 754), in one vector instruction.
static inline float8_vector vector_square_root(float8_vector x) {
    return __builtin_elementwise_sqrt(x);
}

/// Tells the CPU that this is a spin-wait loop (x86 `pause`, ARM `yield`): it saves power and
/// leaves the core's resources to the thread being waited for.
static inline void spin_wait_hint(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

#endif
