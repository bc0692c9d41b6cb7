// Encoding grey, RGB or CMYK pixels through libjpeg's classic API; see CJPEGCodec.h.

#include <stdlib.h>
#include <string.h>
#include "ErrorManager.h"
#include <jerror.h>

/// A destination that grows a malloc'd buffer this file owns. libjpeg's own `jpeg_mem_dest`
/// frees its first buffer when it grows one but only reports the new one at the end, so an
/// error part way through would leak the buffer and leave the caller a dangling pointer.
typedef struct {
    struct jpeg_destination_mgr pub;
    uint8_t *buffer;
    size_t capacity;
} growing_destination;

static void init_destination(j_compress_ptr cinfo) {
    growing_destination *destination = (growing_destination *)cinfo->dest;
    destination->capacity = 65536;
    destination->buffer = malloc(destination->capacity);
    if (destination->buffer == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
    destination->pub.next_output_byte = destination->buffer;
    destination->pub.free_in_buffer = destination->capacity;
}

/// Called when the buffer is full (all of it, whatever `free_in_buffer` says).
static boolean empty_output_buffer(j_compress_ptr cinfo) {
    growing_destination *destination = (growing_destination *)cinfo->dest;
    size_t used = destination->capacity;
    uint8_t *grown = realloc(destination->buffer, used * 2);
    if (grown == NULL) ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 1);
    destination->buffer = grown;
    destination->capacity = used * 2;
    destination->pub.next_output_byte = grown + used;
    destination->pub.free_in_buffer = destination->capacity - used;
    return TRUE;
}

static void term_destination(j_compress_ptr cinfo) {
    (void)cinfo;
}

static J_COLOR_SPACE input_color_space(int components) {
    switch (components) {
    case 1: return JCS_GRAYSCALE;
    case 3: return JCS_RGB;
    case 4: return JCS_CMYK;
    default: return JCS_UNKNOWN;
    }
}

digits_jpeg_status digits_jpeg_encode(const digits_jpeg_encoding *encoding,
                                      uint8_t **output, size_t *output_length, char *message) {
    struct jpeg_compress_struct cinfo;
    digits_error_manager errors;
    growing_destination destination;
    memset(&cinfo, 0, sizeof cinfo);
    memset(&destination, 0, sizeof destination);
    *output = NULL;
    *output_length = 0;
    cinfo.err = digits_error_manager_init(&errors);
    if (setjmp(errors.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(destination.buffer);
        memcpy(message, errors.message, DIGITS_JPEG_MESSAGE_CAPACITY);
        return errors.status;
    }
    jpeg_create_compress(&cinfo);
    J_COLOR_SPACE space = input_color_space(encoding->components);
    if (space == JCS_UNKNOWN) {
        digits_error_manager_fail((j_common_ptr)&cinfo, DIGITS_JPEG_INVALID, "pixels must have 1, 3 or 4 components");
    }
    if (encoding->row_stride < (size_t)encoding->width * (size_t)encoding->components) {
        digits_error_manager_fail((j_common_ptr)&cinfo, DIGITS_JPEG_INVALID, "the row stride is shorter than a row");
    }
    destination.pub.init_destination = init_destination;
    destination.pub.empty_output_buffer = empty_output_buffer;
    destination.pub.term_destination = term_destination;
    cinfo.dest = &destination.pub;

    cinfo.image_width = encoding->width;
    cinfo.image_height = encoding->height;
    cinfo.input_components = encoding->components;
    cinfo.in_color_space = space;
    jpeg_set_defaults(&cinfo);
    if (space == JCS_CMYK) jpeg_set_colorspace(&cinfo, encoding->ycck ? JCS_YCCK : JCS_CMYK);
    jpeg_set_quality(&cinfo, encoding->quality, TRUE);
    if (encoding->progressive) jpeg_simple_progression(&cinfo);

    jpeg_start_compress(&cinfo, TRUE);
    if (encoding->app1 != NULL) {
        if (encoding->app1_length > 65533) {
            digits_error_manager_fail((j_common_ptr)&cinfo, DIGITS_JPEG_INVALID, "an APP1 segment holds at most 65533 bytes");
        }
        jpeg_write_marker(&cinfo, JPEG_APP0 + 1, encoding->app1, (unsigned int)encoding->app1_length);
    }
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(encoding->pixels + (size_t)cinfo.next_scanline * encoding->row_stride);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);

    *output = destination.buffer;
    *output_length = destination.capacity - destination.pub.free_in_buffer;
    jpeg_destroy_compress(&cinfo);
    return DIGITS_JPEG_OK;
}

void digits_jpeg_free(uint8_t *buffer) {
    free(buffer);
}
