// The bytes of model.safetensors, placed in the executable by C23's #embed at compile time.

#include "BuiltInModel.h"

#pragma clang diagnostic ignored "-Wc23-extensions"
static const unsigned char model[] = {
#embed "model.safetensors"
};

const unsigned char *digits_builtin_model_bytes(void) { return model; }
size_t digits_builtin_model_count(void) { return sizeof model; }
