// Builds PNG files byte by byte (any colour type, bit depth, palette, interlace) for tests.
import CZlib
