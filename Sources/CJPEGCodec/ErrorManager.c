// libjpeg errors and warnings as statuses and messages; see ErrorManager.h.

#include <string.h>
#include "ErrorManager.h"
// After jpeglib.h: which codes exist depends on its configuration.
#include <jerror.h>

/// The status for a libjpeg error code: most errors mean the data is bad, a few that the data
/// is fine but this build of libjpeg cannot handle it.
static digits_jpeg_status status_for_error(int code) {
    switch (code) {
    case JERR_BAD_PRECISION: return DIGITS_JPEG_UNSUPPORTED_PRECISION;
    case JERR_IMAGE_TOO_BIG: return DIGITS_JPEG_TOO_LARGE;
    case JERR_OUT_OF_MEMORY: return DIGITS_JPEG_OUT_OF_MEMORY;
    case JERR_SOF_UNSUPPORTED:
    case JERR_ARITH_NOTIMPL:
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED:
        return DIGITS_JPEG_UNSUPPORTED;
    default: return DIGITS_JPEG_INVALID;
    }
}

/// Replaces libjpeg's default, which prints the message and calls exit().
static void error_exit(j_common_ptr cinfo) {
    digits_error_manager *errors = (digits_error_manager *)cinfo->err;
    errors->status = status_for_error(cinfo->err->msg_code);
    (*cinfo->err->format_message)(cinfo, errors->message);
    longjmp(errors->jump, 1);
}

/// Whether a libjpeg warning means that pixels are missing or wrong. libjpeg goes on after
/// these with grey or garbled blocks; the others (extra bytes between segments, an unknown
/// JFIF version or Adobe transform, an odd progression) leave the pixels intact.
static int warning_damages_pixels(int code) {
    switch (code) {
    case JWRN_JPEG_EOF:
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_MUST_RESYNC:
        return 1;
    default:
        return 0;
    }
}

/// Warnings (level −1) that damage pixels fail the call; the rest are counted, as libjpeg's
/// default does, and trace messages (level ≥ 0) are dropped.
static void emit_message(j_common_ptr cinfo, int level) {
    if (level >= 0) return;
    if (warning_damages_pixels(cinfo->err->msg_code)) {
        digits_error_manager *errors = (digits_error_manager *)cinfo->err;
        errors->status = DIGITS_JPEG_INVALID;
        (*cinfo->err->format_message)(cinfo, errors->message);
        longjmp(errors->jump, 1);
    }
    cinfo->err->num_warnings++;
}

/// libjpeg's default writes to stderr; a library must not.
static void output_message(j_common_ptr cinfo) {
    (void)cinfo;
}

struct jpeg_error_mgr *digits_error_manager_init(digits_error_manager *errors) {
    struct jpeg_error_mgr *manager = jpeg_std_error(&errors->pub);
    manager->error_exit = error_exit;
    manager->emit_message = emit_message;
    manager->output_message = output_message;
    errors->status = DIGITS_JPEG_OK;
    errors->message[0] = '\0';
    return manager;
}

void digits_error_manager_fail(j_common_ptr cinfo, digits_jpeg_status status, const char *message) {
    digits_error_manager *errors = (digits_error_manager *)cinfo->err;
    errors->status = status;
    strncpy(errors->message, message, sizeof errors->message - 1);
    errors->message[sizeof errors->message - 1] = '\0';
    longjmp(errors->jump, 1);
}
