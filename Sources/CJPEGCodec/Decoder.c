// Decoding through libjpeg's classic API, each step under its own setjmp; see CJPEGCodec.h.

#include <stdlib.h>
#include <string.h>
#include "ErrorManager.h"

/// More scans than any encoder writes (libjpeg's progressive script has 10, mozjpeg's about
/// 20), and few enough that a small file of empty scans over a large frame cannot keep the
/// decoder busy for long: each scan walks every block of the image.
#define DIGITS_JPEG_MAXIMUM_SCANS 500

/// The step a decoder has reached; each entry point checks it, so a call out of order (or
/// after a failure, when libjpeg's state is undefined) fails instead of touching that state.
typedef enum { STAGE_CREATED, STAGE_HEADER_READ, STAGE_CONFIGURED, STAGE_DECODED, STAGE_FAILED } stage;

struct digits_jpeg_decoder {
    struct jpeg_decompress_struct cinfo;
    digits_error_manager errors;
    struct jpeg_progress_mgr progress;
    uint8_t *data;
    size_t size;
    stage stage;
    /// What `digits_jpeg_configure` promised, checked again after libjpeg starts.
    unsigned width, height;
    int channels;
};

/// Stops a decode that has read more scans than any real encoder writes.
static void limit_scans(j_common_ptr cinfo) {
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > DIGITS_JPEG_MAXIMUM_SCANS) {
        digits_error_manager_fail(cinfo, DIGITS_JPEG_INVALID, "more than 500 scans");
    }
}

digits_jpeg_decoder *digits_jpeg_decoder_create(const uint8_t *data, size_t size) {
    digits_jpeg_decoder *decoder = calloc(1, sizeof *decoder);
    if (decoder == NULL) return NULL;
    decoder->data = malloc(size > 0 ? size : 1);
    if (decoder->data == NULL) {
        free(decoder);
        return NULL;
    }
    if (size > 0) memcpy(decoder->data, data, size);
    decoder->size = size;
    decoder->cinfo.err = digits_error_manager_init(&decoder->errors);
    if (setjmp(decoder->errors.jump)) {
        decoder->stage = STAGE_FAILED;
        return decoder;
    }
    jpeg_create_decompress(&decoder->cinfo);
    decoder->progress.progress_monitor = limit_scans;
    decoder->cinfo.progress = &decoder->progress;
    decoder->stage = STAGE_CREATED;
    return decoder;
}

void digits_jpeg_decoder_destroy(digits_jpeg_decoder *decoder) {
    if (decoder == NULL) return;
    jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder->data);
    free(decoder);
}

/// Fails a call made out of order; after an earlier failure the status and message stay.
static digits_jpeg_status check_stage(digits_jpeg_decoder *decoder, stage expected) {
    if (decoder->stage == STAGE_FAILED) return decoder->errors.status;
    if (decoder->stage == expected) return DIGITS_JPEG_OK;
    decoder->stage = STAGE_FAILED;
    decoder->errors.status = DIGITS_JPEG_INVALID;
    strcpy(decoder->errors.message, "decoder steps called out of order");
    return DIGITS_JPEG_INVALID;
}

static digits_jpeg_source_color source_color(J_COLOR_SPACE space) {
    switch (space) {
    case JCS_GRAYSCALE: return DIGITS_JPEG_SOURCE_GRAY;
    case JCS_YCbCr: return DIGITS_JPEG_SOURCE_YCBCR;
    case JCS_RGB: return DIGITS_JPEG_SOURCE_RGB;
    case JCS_CMYK: return DIGITS_JPEG_SOURCE_CMYK;
    case JCS_YCCK: return DIGITS_JPEG_SOURCE_YCCK;
    default: return DIGITS_JPEG_SOURCE_OTHER;
    }
}

/// Whatever the frame header has set so far: on a failure the size or precision is what the
/// caller wants to report.
static void fill_header(const digits_jpeg_decoder *decoder, digits_jpeg_header *header) {
    const struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    static const uint8_t exif_prefix[6] = {'E', 'x', 'i', 'f', 0, 0};
    memset(header, 0, sizeof *header);
    header->width = cinfo->image_width;
    header->height = cinfo->image_height;
    header->precision = cinfo->data_precision;
    header->components = cinfo->num_components;
    header->source_color = source_color(cinfo->jpeg_color_space);
    header->saw_adobe_marker = cinfo->saw_Adobe_marker;
    header->progressive = cinfo->progressive_mode;
    for (jpeg_saved_marker_ptr marker = cinfo->marker_list; marker != NULL; marker = marker->next) {
        if (marker->marker == JPEG_APP0 + 1 && marker->data_length >= sizeof exif_prefix
            && memcmp(marker->data, exif_prefix, sizeof exif_prefix) == 0) {
            header->exif = marker->data;
            header->exif_length = marker->data_length;
            break;
        }
    }
}

digits_jpeg_status digits_jpeg_read_header(digits_jpeg_decoder *decoder, digits_jpeg_header *header) {
    digits_jpeg_status status = check_stage(decoder, STAGE_CREATED);
    if (status != DIGITS_JPEG_OK) return status;
    if (setjmp(decoder->errors.jump)) {
        decoder->stage = STAGE_FAILED;
        fill_header(decoder, header);
        return decoder->errors.status;
    }
    jpeg_mem_src(&decoder->cinfo, decoder->data, (unsigned long)decoder->size);
    jpeg_save_markers(&decoder->cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&decoder->cinfo, TRUE);
    fill_header(decoder, header);
    decoder->stage = STAGE_HEADER_READ;
    return DIGITS_JPEG_OK;
}

static J_COLOR_SPACE color_space(digits_jpeg_output output) {
    switch (output) {
    case DIGITS_JPEG_OUTPUT_GRAY: return JCS_GRAYSCALE;
    case DIGITS_JPEG_OUTPUT_RGB: return JCS_RGB;
    case DIGITS_JPEG_OUTPUT_RGBA: return JCS_EXT_RGBA;
    case DIGITS_JPEG_OUTPUT_CMYK: return JCS_CMYK;
    }
    return JCS_UNKNOWN;
}

digits_jpeg_status digits_jpeg_configure(digits_jpeg_decoder *decoder, unsigned scale_denominator,
                                         digits_jpeg_output output,
                                         unsigned *width, unsigned *height, int *channels) {
    digits_jpeg_status status = check_stage(decoder, STAGE_HEADER_READ);
    if (status != DIGITS_JPEG_OK) return status;
    if (setjmp(decoder->errors.jump)) {
        decoder->stage = STAGE_FAILED;
        return decoder->errors.status;
    }
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    if (scale_denominator != 1 && scale_denominator != 2 && scale_denominator != 4 && scale_denominator != 8) {
        digits_error_manager_fail((j_common_ptr)cinfo, DIGITS_JPEG_INVALID, "the scale must be 1/1, 1/2, 1/4 or 1/8");
    }
    cinfo->scale_num = 1;
    cinfo->scale_denom = scale_denominator;
    cinfo->out_color_space = color_space(output);
    jpeg_calc_output_dimensions(cinfo);
    decoder->width = *width = cinfo->output_width;
    decoder->height = *height = cinfo->output_height;
    decoder->channels = *channels = cinfo->out_color_components;
    decoder->stage = STAGE_CONFIGURED;
    return DIGITS_JPEG_OK;
}

digits_jpeg_status digits_jpeg_decode(digits_jpeg_decoder *decoder, uint8_t *pixels, size_t row_stride) {
    digits_jpeg_status status = check_stage(decoder, STAGE_CONFIGURED);
    if (status != DIGITS_JPEG_OK) return status;
    if (setjmp(decoder->errors.jump)) {
        decoder->stage = STAGE_FAILED;
        return decoder->errors.status;
    }
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    jpeg_start_decompress(cinfo);
    // The caller's buffer was sized from what configure reported.
    if (cinfo->output_width != decoder->width || cinfo->output_height != decoder->height
        || cinfo->output_components != decoder->channels
        || row_stride < (size_t)decoder->width * (size_t)decoder->channels) {
        digits_error_manager_fail((j_common_ptr)cinfo, DIGITS_JPEG_INVALID, "the output size changed after configuring");
    }
    enum { batch = 16 };
    JSAMPROW rows[batch];
    while (cinfo->output_scanline < cinfo->output_height) {
        JDIMENSION first = cinfo->output_scanline;
        JDIMENSION count = cinfo->output_height - first < batch ? cinfo->output_height - first : batch;
        for (JDIMENSION row = 0; row < count; row++) rows[row] = pixels + (size_t)(first + row) * row_stride;
        if (jpeg_read_scanlines(cinfo, rows, count) == 0) {
            digits_error_manager_fail((j_common_ptr)cinfo, DIGITS_JPEG_INVALID, "libjpeg returned no rows");
        }
    }
    jpeg_finish_decompress(cinfo);
    decoder->stage = STAGE_DECODED;
    return DIGITS_JPEG_OK;
}

const char *digits_jpeg_message(const digits_jpeg_decoder *decoder) {
    return decoder->errors.message;
}
