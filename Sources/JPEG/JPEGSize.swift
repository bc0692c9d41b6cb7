// A JPEG's full size from its header alone, upright: what a scaled decode's pixel positions are
// scaled back to.

import PNG

extension Image {
    /// The width and height of the JPEG file at `path` at full size, after its EXIF
    /// orientation (5–8 swap them); only the markers up to the first scan are read.
    public static func jpegSize(ofFile path: String) throws(JPEGError) -> (width: Int, height: Int) {
        let bytes = try readFileBytes(at: path)
        guard !bytes.isEmpty else { throw .invalid(source: path, message: "the file is empty") }
        let reader = try JPEGReader(bytes, source: path)
        let header = try reader.readHeader()
        let width = Int(header.width), height = Int(header.height)
        if let exif = reader.exif, let orientation = EXIF.orientation(inAPP1: exif), (5...8).contains(orientation) {
            return (height, width)
        }
        return (width, height)
    }
}
