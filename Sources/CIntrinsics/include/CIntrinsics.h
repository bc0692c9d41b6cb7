// CPU instructions Swift does not emit by itself (or not on every supported platform), as
// inline C functions:
//
// - the prefetch hint, that memory at an address will be read soon, so the cache starts
//   fetching it while the program goes on;
// - the vector square root. Swift's `Float.squareRoot()` goes through C's `sqrtf`, which must
//   set `errno` for a negative argument, so every lane gets its own test and branch and a loop
//   over them is never vectorised: Adam's update spent most of its time there;
// - PEXT, which packs the bytes a mask selects (the listing of an image's nonzero pixels);
// - one conversion, of eight bytes to eight floats, that Swift left as calls, and a test
//   of eight floats for zero that it made lane by lane;
// - and an atomic add, for threads that share out work (Swift's `Atomic` needs macOS 15).
#ifndef CINTRINSICS_H
#define CINTRINSICS_H

/// Starts loading the cache line holding `address` into the caches; returns at once.
static inline void prefetch_for_reading(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Starts loading every cache line of the `count` bytes from `start`; returns at once.
static inline void prefetch_bytes_for_reading(const void *start, long count) {
    const char *bytes = (const char *)start;
    for (long offset = 0; offset < count; offset += 64) prefetch_for_reading(bytes + offset);
    if (count > 0) prefetch_for_reading(bytes + count - 1);
}

/// Eight floats, which Swift sees as `SIMD8<Float>`.
typedef float float8_vector __attribute__((ext_vector_type(8)));

/// The correctly rounded square root of each lane (IEEE 754), in one vector instruction.
static inline float8_vector vector_square_root(float8_vector x) {
    return __builtin_elementwise_sqrt(x);
}

/// The eight bytes of `word` (lowest first) as floats, 0 to 255, exactly: two instructions
/// (widen, convert), where Swift's generic `SIMD8` conversions were left as calls.
static inline float8_vector bytes_as_floats(unsigned long long word) {
    typedef unsigned char byte8_vector __attribute__((ext_vector_type(8)));
    byte8_vector bytes;
    __builtin_memcpy(&bytes, &word, sizeof bytes);
    return __builtin_convertvector(bytes, float8_vector);
}
/// Whether all eight lanes are zero, of either sign: one vector test, where Swift's `SIMD8`
/// comparison went lane by lane.
static inline int floats_are_zero(float8_vector x) {
    typedef unsigned int word8_vector __attribute__((ext_vector_type(8)));
    word8_vector magnitudes;
    __builtin_memcpy(&magnitudes, &x, sizeof magnitudes);
    return __builtin_reduce_or(magnitudes & 0x7FFFFFFFu) == 0;
}
/// Adds `amount` to `*counter` atomically and returns the value before: threads claim
/// work from a shared counter this way (`parallelChunks`).
static inline long fetch_and_add(long *counter, long amount) {
    return __atomic_fetch_add(counter, amount, __ATOMIC_RELAXED);
}
/// The bytes of `word` where `mask` has 0xFF, packed towards the low end in order (the
/// rest zero): x86's PEXT instruction where the target has BMI2, else a loop.
static inline unsigned long long pack_selected_bytes(unsigned long long word, unsigned long long mask) {
#if defined(__BMI2__) && defined(__x86_64__)
    return __builtin_ia32_pext_di(word, mask);
#else
    unsigned long long packed = 0;
    int shift = 0;
    for (int byte = 0; byte < 8; byte++) {
        if ((mask >> (8 * byte)) & 0xFF) {
            packed |= ((word >> (8 * byte)) & 0xFF) << shift;
            shift += 8;
        }
    }
    return packed;
#endif
}

/// Tells the CPU that this is a spin-wait loop (x86 `pause`, ARM `yield`): it saves power and
/// leaves the core's resources to the thread being waited for (`HelperThread`).
static inline void spin_wait_hint(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#endif
}

#endif
