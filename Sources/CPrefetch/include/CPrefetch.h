// The CPU's prefetch instruction, which Swift cannot emit by itself: a hint that the memory at
// an address will be read soon, so the cache starts fetching it while the program goes on.
#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Starts loading the cache line holding `address` into the caches; returns at once.
static inline void prefetch_for_reading(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
