// EXIF orientation: the tag read in both byte orders, malformed blocks ignored, and each of
// the eight orientations turning the decoded picture upright.

import JPEG
import PNG
import Testing

@Suite("EXIF orientation")
struct EXIFOrientationTests {
    /// The stored picture's quadrant values: top-left, top-right, bottom-left, bottom-right.
    static let stored: [UInt8] = [30, 90, 160, 230]
    static let (tl, tr, bl, br) = (stored[0], stored[1], stored[2], stored[3])

    /// For each orientation, the stored quadrants that appear top-left, top-right,
    /// bottom-left and bottom-right once the picture is upright, by the EXIF specification's
    /// table of where the 0th row and column go (6: the 0th row is the right side, the 0th
    /// column the top).
    static let shown: [Int: [UInt8]] = [
        1: [tl, tr, bl, br],
        2: [tr, tl, br, bl],
        3: [br, bl, tr, tl],
        4: [bl, br, tl, tr],
        5: [tl, bl, tr, br],
        6: [bl, tl, br, tr],
        7: [br, tr, bl, tl],
        8: [tr, br, tl, bl],
    ]

    // MARK: The transforms themselves, exactly

    @Test("each orientation moves a 3×2 image's pixels as the specification says", arguments: 1...8)
    func exactTransform(orientation: Int) {
        // a b c
        // d e f
        let image = Image(width: 3, height: 2, layout: .gray, pixels: [1, 2, 3, 4, 5, 6])
        let expected: [Int: (width: Int, pixels: [UInt8])] = [
            1: (3, [1, 2, 3, 4, 5, 6]),
            2: (3, [3, 2, 1, 6, 5, 4]),
            3: (3, [6, 5, 4, 3, 2, 1]),
            4: (3, [4, 5, 6, 1, 2, 3]),
            5: (2, [1, 4, 2, 5, 3, 6]),
            6: (2, [4, 1, 5, 2, 6, 3]),
            7: (2, [6, 3, 5, 2, 4, 1]),
            8: (2, [3, 6, 2, 5, 1, 4]),
        ]
        let upright = image.applyingEXIFOrientation(orientation)
        #expect(upright.width == expected[orientation]!.width)
        #expect(upright.height == 6 / expected[orientation]!.width)
        #expect(upright.pixels == expected[orientation]!.pixels)
    }

    @Test("a transform moves every channel of a pixel together")
    func channelsTogether() {
        let image = Image(width: 2, height: 1, layout: .rgb, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.applyingEXIFOrientation(6).pixels == [1, 2, 3, 4, 5, 6])
        #expect(image.applyingEXIFOrientation(6).width == 1)
        #expect(image.applyingEXIFOrientation(2).pixels == [4, 5, 6, 1, 2, 3])
    }

    @Test("values outside 1…8 leave the image as it is", arguments: [0, 9, -1, 255])
    func outOfRange(value: Int) {
        let image = Image(width: 3, height: 2, layout: .gray, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.applyingEXIFOrientation(value) == image)
    }

    // MARK: Decoded JPEGs come out upright

    @Test("a JPEG with each orientation decodes upright, width and height swapped for 5–8",
          arguments: 1...8, [false, true])
    func decodedUpright(orientation: Int, bigEndian: Bool) throws {
        let picture = quadrants(width: 48, height: 32, Self.stored)
        let jpeg = try picture.jpegData(quality: 95, exif: exifOrientation(orientation, bigEndian: bigEndian))
        #expect(EXIF.orientation(inJPEG: jpeg) == orientation)
        for layout in Image.Layout.allCases {
            let decoded = try Image(jpegData: jpeg, layout: layout)
            let swapped = orientation >= 5
            #expect(decoded.width == (swapped ? 32 : 48) && decoded.height == (swapped ? 48 : 32))
            let corners = [(0, 0), (decoded.width - 1, 0), (0, decoded.height - 1), (decoded.width - 1, decoded.height - 1)]
            for (index, (x, y)) in corners.enumerated() {
                let value = Int(decoded[x, y])
                #expect(abs(value - Int(Self.shown[orientation]![index])) <= 3,
                        "orientation \(orientation) \(layout) corner \(index): \(value)")
            }
        }
    }

    @Test("scaled decoding is turned upright too")
    func scaledUpright() throws {
        let jpeg = try quadrants(width: 64, height: 32, Self.stored).jpegData(quality: 95, exif: exifOrientation(6))
        let decoded = try Image(jpegData: jpeg, minimumSide: 16)
        #expect(decoded.width == 8 && decoded.height == 16)
        #expect(abs(Int(decoded[0, 0]) - Int(Self.bl)) <= 3)
    }

    // MARK: Reading the tag

    @Test("the tag is found among other entries, in both byte orders", arguments: [false, true])
    func amongOthers(bigEndian: Bool) {
        let payload = exifPayload(bigEndian: bigEndian, entries: [
            (tag: 0x010F, type: 2, count: 4, value: 0x1234_5678),  // Make, an ASCII offset
            (tag: 0x0110, type: 2, count: 4, value: 0),
            (tag: 0x0112, type: 3, count: 1, value: 8),
            (tag: 0x011A, type: 5, count: 1, value: 200),
        ])
        #expect(EXIF.orientation(inAPP1: payload) == 8)
    }

    @Test("no orientation: no EXIF, no tag, or a JPEG that cannot be read")
    func none() throws {
        #expect(EXIF.orientation(inJPEG: try gradient(width: 8, height: 8).jpegData()) == nil)
        #expect(EXIF.orientation(inAPP1: exifPayload(bigEndian: false, entries: [(tag: 0x0110, type: 2, count: 1, value: 0)])) == nil)
        #expect(EXIF.orientation(inJPEG: []) == nil)
        #expect(EXIF.orientation(inJPEG: [0xFF, 0xD8, 0xFF]) == nil)
        #expect(EXIF.orientation(inJPEG: Array("not a jpeg".utf8)) == nil)
    }

    /// Damaged EXIF blocks, each built from a valid one.
    static let malformed: [(String, [UInt8])] = {
        let good = exifOrientation(6)
        var wrongOrder = good; wrongOrder[6] = 0x58; wrongOrder[7] = 0x58
        var wrongMagic = good; wrongMagic[8] = 43
        var directoryPastEnd = good; directoryPastEnd[10] = 0xF0
        var hugeDirectory = good; hugeDirectory[10...13] = [0xFF, 0xFF, 0xFF, 0xFF]
        var wrongType = good; wrongType[18] = 4
        var zeroCount = good; zeroCount[20] = 0
        var valueZero = good; valueZero[24] = 0
        var valueNine = good; valueNine[24] = 9
        var valueHigh = good; valueHigh[25] = 1
        return [
            ("the prefix only", Array(good.prefix(6))),
            ("no Exif prefix", Array(good.dropFirst(6))),
            ("a wrong prefix", Array("Exif\0X".utf8) + good.dropFirst(6)),
            ("an unknown byte order", wrongOrder),
            ("a wrong magic number", wrongMagic),
            ("IFD0 past the end", directoryPastEnd),
            ("IFD0 at 4 GB", hugeDirectory),
            ("the entry cut short", Array(good.prefix(22))),
            ("a LONG orientation", wrongType),
            ("a count of zero", zeroCount),
            ("orientation 0", valueZero),
            ("orientation 9", valueNine),
            ("orientation 262", valueHigh),
        ] + (0..<26).map { ("cut to \($0) bytes, before the value ends", Array(good.prefix($0))) }
    }()

    @Test("malformed EXIF is no orientation, never a crash", arguments: malformed)
    func malformedBlocks(name: String, payload: [UInt8]) throws {
        #expect(EXIF.orientation(inAPP1: payload) == nil, "\(name)")
        // In a JPEG the picture still decodes, as stored.
        let jpeg = try quadrants(width: 48, height: 32, Self.stored).jpegData(quality: 95, exif: payload)
        let decoded = try Image(jpegData: jpeg)
        #expect(decoded.width == 48 && abs(Int(decoded[0, 0]) - Int(Self.tl)) <= 3, "\(name)")
    }
}
