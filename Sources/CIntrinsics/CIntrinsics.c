// CIntrinsics is a header of static inline functions (include/CIntrinsics.h); SwiftPM needs one
// source file for a C target.
#include "CIntrinsics.h"
