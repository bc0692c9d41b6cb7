// The model that ships inside `digits`: a safetensors checkpoint compiled into the executable,
// so that `digits classify` needs no file beside it. Made by bench/make_builtin_model.sh.

#include <stddef.h>

/// The checkpoint's bytes.
const unsigned char *digits_builtin_model_bytes(void);
/// How many bytes `digits_builtin_model_bytes` points at.
size_t digits_builtin_model_count(void);
