// CPrefetch is a header of static inline functions (include/CPrefetch.h); SwiftPM needs one
// source file for a C target.
#include "CPrefetch.h"
