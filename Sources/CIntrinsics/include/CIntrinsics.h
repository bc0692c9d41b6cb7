// Two CPU instructions Swift does not emit by itself, as inline C functions:
//
// - the prefetch hint, that memory at an address will be read soon, so the cache starts
//   fetching it while the program goes on;
// - the vector square root. Swift's `Float.squareRoot()` goes through C's `sqrtf`, which must
//   set `errno` for a negative argument, so every lane gets its own test and branch and a loop
//   over them is never vectorised: Adam's update spent most of its time there.
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

#endif
