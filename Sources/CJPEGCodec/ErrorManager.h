// The error manager both the decoder and the encoder install: libjpeg's errors, and the
// warnings that mean damaged pixels, become a longjmp back to the entry point's setjmp with a
// status and libjpeg's message; nothing is printed.
#ifndef DIGITS_JPEG_ERROR_MANAGER_H
#define DIGITS_JPEG_ERROR_MANAGER_H

#include <setjmp.h>
#include <stdio.h>
#include <jpeglib.h>
#include "CJPEGCodec.h"

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    digits_jpeg_status status;
    char message[DIGITS_JPEG_MESSAGE_CAPACITY];
} digits_error_manager;

/// Sets up `errors` and returns the pointer libjpeg wants in `cinfo->err`.
struct jpeg_error_mgr *digits_error_manager_init(digits_error_manager *errors);

/// Fails the current call with `status` and `message` (for failures libjpeg has no code for).
void digits_error_manager_fail(j_common_ptr cinfo, digits_jpeg_status status, const char *message);

#endif
