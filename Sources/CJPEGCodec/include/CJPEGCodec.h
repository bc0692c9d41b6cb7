// libjpeg's classic API made safe to call from Swift. libjpeg reports an error by calling
// `error_exit`, which must not return; the only way back is a longjmp, and a longjmp across
// Swift frames is undefined. So every libjpeg call happens here, under a setjmp in the same C
// function, and each entry point returns a status with libjpeg's own message kept on the side.
// Nothing here exits the process or prints.
//
// Decoding goes in three steps, so that the caller can check the size in the header before
// any pixel memory exists: read the header, configure (scale, output colour) to learn the
// output size, then decode into the caller's buffer.
#ifndef CJPEGCODEC_H
#define CJPEGCODEC_H

#include <stddef.h>
#include <stdint.h>

/// Room for any message libjpeg formats (its JMSG_LENGTH_MAX).
#define DIGITS_JPEG_MESSAGE_CAPACITY 200

/// How a call ended. Anything but OK leaves a message (libjpeg's words) in the decoder.
typedef enum {
    DIGITS_JPEG_OK = 0,
    /// libjpeg rejected the data: not a JPEG, damaged, or truncated.
    DIGITS_JPEG_INVALID,
    /// A valid JPEG of a kind this libjpeg cannot decode (lossless, an odd colour space).
    DIGITS_JPEG_UNSUPPORTED,
    /// Samples of more than 8 bits; the header's `precision` says how many.
    DIGITS_JPEG_UNSUPPORTED_PRECISION,
    /// Wider or taller than libjpeg's maximum of 65500; the header holds the claimed size.
    DIGITS_JPEG_TOO_LARGE,
    /// malloc failed.
    DIGITS_JPEG_OUT_OF_MEMORY,
} digits_jpeg_status;

/// The colour model of the compressed data, as libjpeg inferred it from the markers.
typedef enum {
    DIGITS_JPEG_SOURCE_GRAY,
    DIGITS_JPEG_SOURCE_YCBCR,
    DIGITS_JPEG_SOURCE_RGB,
    DIGITS_JPEG_SOURCE_CMYK,
    DIGITS_JPEG_SOURCE_YCCK,
    DIGITS_JPEG_SOURCE_OTHER,
} digits_jpeg_source_color;

/// The pixels to decode into, 8 bits a channel.
typedef enum {
    DIGITS_JPEG_OUTPUT_GRAY,  ///< 1 channel; from grey, YCbCr (the Y itself) or RGB (Rec. 601 luma)
    DIGITS_JPEG_OUTPUT_RGB,   ///< 3 channels; from grey, YCbCr or RGB
    DIGITS_JPEG_OUTPUT_RGBA,  ///< 4 channels, alpha 255; from grey, YCbCr or RGB
    DIGITS_JPEG_OUTPUT_CMYK,  ///< 4 channels as stored (Adobe files store them inverted); from CMYK or YCCK
} digits_jpeg_output;

/// What the header says.
typedef struct {
    /// Full size, from the frame header; also set when the status is TOO_LARGE.
    unsigned width, height;
    /// Bits a sample; also set when the status is UNSUPPORTED_PRECISION.
    int precision;
    int components;
    digits_jpeg_source_color source_color;
    /// Whether an Adobe APP14 marker was present; Adobe CMYK data is stored inverted.
    int saw_adobe_marker;
    int progressive;
    /// The payload of the first APP1 segment that starts "Exif\0\0" (the prefix included),
    /// or NULL. Owned by the decoder: valid until it is destroyed.
    const uint8_t *exif;
    size_t exif_length;
} digits_jpeg_header;

typedef struct digits_jpeg_decoder digits_jpeg_decoder;

/// A decoder over a private copy of `size` bytes at `data`; NULL if memory is short.
digits_jpeg_decoder *digits_jpeg_decoder_create(const uint8_t *data, size_t size);

/// Frees the decoder and everything libjpeg allocated for it, whatever state it is in.
void digits_jpeg_decoder_destroy(digits_jpeg_decoder *decoder);

/// Reads the markers up to the first scan and fills `header`. Allocates no pixel memory.
digits_jpeg_status digits_jpeg_read_header(digits_jpeg_decoder *decoder, digits_jpeg_header *header);

/// Chooses the scale (1/`scale_denominator`, which must be 1, 2, 4 or 8) and the output colour,
/// and reports the size and channels of the pixels `digits_jpeg_decode` will write.
/// Still allocates no pixel memory.
digits_jpeg_status digits_jpeg_configure(digits_jpeg_decoder *decoder, unsigned scale_denominator,
                                         digits_jpeg_output output,
                                         unsigned *width, unsigned *height, int *channels);

/// Decodes every row into `pixels`, `row_stride` bytes apart, as configured. A file that ends
/// early or whose compressed data is damaged is an error here, not libjpeg's warning and a
/// partly grey image: a person should be told, not shown a guess.
digits_jpeg_status digits_jpeg_decode(digits_jpeg_decoder *decoder, uint8_t *pixels, size_t row_stride);

/// The message of the last failure, "" if there was none.
const char *digits_jpeg_message(const digits_jpeg_decoder *decoder);

/// What to encode.
typedef struct {
    const uint8_t *pixels;
    unsigned width, height;
    /// 1 (grey), 3 (RGB, stored as YCbCr) or 4 (CMYK, stored as it is given).
    int components;
    size_t row_stride;
    /// 1…100.
    int quality;
    int progressive;
    /// For 4 components: store YCCK (Adobe transform 2) rather than plain CMYK. libjpeg writes
    /// an Adobe marker either way.
    int ycck;
    /// Bytes to write as an APP1 segment (for EXIF, starting "Exif\0\0"), or NULL.
    const uint8_t *app1;
    size_t app1_length;
} digits_jpeg_encoding;

/// Encodes into a new malloc'd buffer, which the caller frees with `digits_jpeg_free`. On
/// failure `*output` is NULL and `message` (DIGITS_JPEG_MESSAGE_CAPACITY bytes) says why.
digits_jpeg_status digits_jpeg_encode(const digits_jpeg_encoding *encoding,
                                      uint8_t **output, size_t *output_length, char *message);

/// Frees a buffer from `digits_jpeg_encode`.
void digits_jpeg_free(uint8_t *buffer);

#endif
