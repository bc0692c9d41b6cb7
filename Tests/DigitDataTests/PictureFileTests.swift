// PictureFile: a user's picture decoded by what its bytes are, not what its name says, and
// every other format named in a one-line error.

import DigitData
import JPEG
import PNG
import Testing

@Suite("Picture files")
struct PictureFileTests {
    static let picture: Image = {
        var image = Image(width: 24, height: 16, layout: .gray, filledWith: 230)
        for y in 4..<12 { for x in 8..<16 { image[x, y] = 20 } }
        return image
    }()

    // MARK: PNG and JPEG

    @Test("a PNG is read by the PNG decoder, whatever its name", arguments: ["digit.png", "digit.jpg", "digit"])
    func png(name: String) throws {
        let folder = TemporaryDirectory()
        let path = folder.write(try Self.picture.pngData(), to: name)
        for layout in Image.Layout.allCases {
            #expect(try PictureFile.read(path, layout: layout) == Image(contentsOfPNGFile: path, layout: layout))
        }
        // PNG has no scaled decoding.
        #expect(try PictureFile.read(path, minimumSide: 2).width == 24)
    }

    @Test("a JPEG is read by the JPEG decoder, whatever its name, scaled on request", arguments: ["photo.jpg", "photo.png"])
    func jpeg(name: String) throws {
        let folder = TemporaryDirectory()
        let jpeg = try Self.picture.jpegData(quality: 95, exif: nil)
        let path = folder.write(jpeg, to: name)
        for layout in Image.Layout.allCases {
            #expect(try PictureFile.read(path, layout: layout) == Image(contentsOfJPEGFile: path, layout: layout))
        }
        let scaled = try PictureFile.read(path, minimumSide: 12)
        #expect(scaled.width == 12 && scaled.height == 8)
    }

    @Test("a damaged PNG or JPEG gets its decoder's error")
    func damaged() throws {
        let folder = TemporaryDirectory()
        let png = folder.write(Array(try Self.picture.pngData().prefix(40)), to: "cut.png")
        guard case .png(.invalid(let source, _))? = dataError({ try PictureFile.read(png) }) else {
            Issue.record("expected a PNG decoding error")
            return
        }
        #expect(source == png)
        let jpeg = folder.write(Array(try Self.picture.jpegData().prefix(200)), to: "cut.jpg")
        let error = dataError { try PictureFile.read(jpeg) }
        #expect(error == .jpeg(.invalid(source: jpeg, message: "Premature end of JPEG file")))
        #expect(error?.description == "\(jpeg) is not a valid JPEG: Premature end of JPEG file")
    }

    @Test("the extensions a folder's pictures have")
    func fileExtensions() {
        #expect(PictureFile.fileExtensions == ["png", "jpg", "jpeg"])
    }

    // MARK: Other formats, named

    /// The first bytes of a file of each format, padded, and the name the error gives it.
    static let others: [(name: String, start: [UInt8], format: PictureFile.Format)] = [
        ("anim.gif", Array("GIF89a".utf8) + [0x10, 0, 0x10, 0, 0xF0, 0, 0], .gif),
        ("old.gif", Array("GIF87a".utf8) + [1, 0, 1, 0], .gif),
        ("scan.bmp", Array("BM".utf8) + [0x36, 0x10, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0], .bmp),
        ("scan.tif", [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0], .tiff),
        ("scan.tiff", [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8], .tiff),
        ("big.tif", [0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0], .tiff),
        ("web.webp", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), .webP),
        ("phone.heic", ftyp("heic", ["mif1", "heic"]), .heic),
        ("phone.jpg", ftyp("mif1", ["mif1", "heic", "miaf"]), .heic),
        ("still.heif", ftyp("mif1", ["mif1", "miaf"]), .heif),
        ("photo.avif", ftyp("avif", ["avif", "mif1", "miaf"]), .avif),
        ("other.avif", ftyp("mif1", ["mif1", "avif"]), .avif),
        ("live.mov", ftyp("qt  ", ["qt  "]), .isoVideo),
        ("clip.mp4", ftyp("isom", ["isom", "iso2", "mp41"]), .isoVideo),
        ("page.pdf", Array("%PDF-1.7\n%\u{E2}\u{E3}".utf8), .pdf),
        ("icon.svg", Array("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"28\">".utf8), .svg),
        ("drawn.svg", [0xEF, 0xBB, 0xBF] + Array("<?xml version=\"1.0\"?>\n<!-- Inkscape -->\n<svg width=\"28\">".utf8), .svg),
        ("saved.jpg", Array("\n  <!DOCTYPE html>\n<html><head>".utf8), .html),
        ("page.png", Array("<html lang=\"en\">".utf8), .html),
        ("data.xml", Array("<?xml version=\"1.0\"?><digits/>".utf8), .xml),
        ("digits.zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0, 0, 0], .zip),
        ("empty.zip", [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18), .zip),
    ]

    /// An ISO media `ftyp` box: size, "ftyp", major brand, minor version 0, compatible brands.
    static func ftyp(_ major: String, _ compatible: [String]) -> [UInt8] {
        let size = 16 + 4 * compatible.count
        return [0, 0, 0, UInt8(size)] + Array("ftyp".utf8) + Array(major.utf8) + [0, 0, 0, 0]
            + compatible.flatMap { Array($0.utf8) } + [0, 0, 0, 8] + Array("mdat".utf8)
    }

    @Test("another format is named in one line", arguments: others)
    func otherFormat(name: String, start: [UInt8], format: PictureFile.Format) throws {
        let folder = TemporaryDirectory()
        let path = folder.write(start + [UInt8](repeating: 0, count: 64), to: name)
        let error = dataError { try PictureFile.read(path) }
        #expect(error == .unsupportedFormat(path: path, format: format))
        #expect(error?.description == "\(path) is \(format.withArticle) file: digits reads PNG and JPEG")
    }

    @Test("the messages read as English")
    func messages() {
        #expect(DataError.unsupportedFormat(path: "photo.gif", format: .gif).description
                == "photo.gif is a GIF file: digits reads PNG and JPEG")
        #expect(DataError.unsupportedFormat(path: "x.heic", format: .heic).description
                == "x.heic is a HEIC file: digits reads PNG and JPEG")
        #expect(DataError.unsupportedFormat(path: "x.avif", format: .avif).description
                == "x.avif is an AVIF file: digits reads PNG and JPEG")
        #expect(DataError.unsupportedFormat(path: "x.svg", format: .svg).description
                == "x.svg is an SVG file: digits reads PNG and JPEG")
        #expect(DataError.unsupportedFormat(path: "x.webp", format: .webP).description
                == "x.webp is a WebP file: digits reads PNG and JPEG")
        #expect(DataError.unsupportedFormat(path: "x", format: nil).description == "x is not a PNG or JPEG file")
    }

    // MARK: Nothing to recognise

    @Test("bytes of no known format",
          arguments: [Array("7 is my favourite digit\n".utf8), Array("BMW 320i".utf8), Array("RIFF\u{24}\0\0\0WAVEfmt ".utf8),
                      [0x00], [0x89, 0x50], Array("<p>not a page</p>".utf8), Array("GIF8".utf8)])
    func unknown(start: [UInt8]) {
        let folder = TemporaryDirectory()
        let path = folder.write(start, to: "mystery.png")
        let error = dataError { try PictureFile.read(path) }
        #expect(error == .unsupportedFormat(path: path, format: nil))
        #expect(error?.description == "\(path) is not a PNG or JPEG file")
    }

    @Test("an empty file")
    func empty() {
        let folder = TemporaryDirectory()
        let path = folder.write([], to: "empty.jpg")
        let error = dataError { try PictureFile.read(path) }
        #expect(error == .unreadable(path: path, reason: "the file is empty"))
        #expect(error?.description == "cannot read \(path): the file is empty")
    }

    @Test("a missing file and a directory")
    func unreadable() {
        #expect(dataError { try PictureFile.read("/nonexistent/7.png") }
                == .unreadable(path: "/nonexistent/7.png", reason: "No such file or directory"))
        let folder = TemporaryDirectory()
        #expect(dataError { try PictureFile.read(folder.path) } == .unreadable(path: folder.path, reason: "it is a directory"))
    }
}
