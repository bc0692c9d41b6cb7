// A 5×7 bitmap font kept in the code (no font files), drawn at whole-number scales.
//
// Every glyph is 5 pixels wide and 9 tall: 7 rows from the cap line down to the baseline,
// then 2 rows for descenders (g, j, p, q, y, comma). Characters advance by 6 pixels, so the
// font is monospaced and a string's width is a multiple of the advance. The glyphs are drawn
// below as ASCII art, a strip of characters side by side; `#` is ink.

/// The built-in font: ASCII 32–126 and `×`, `→`, `·`, `−`. Any other character draws as a box.
public enum BitmapFont {
    /// Pixels a glyph is wide at scale 1.
    public static let glyphWidth = 5
    /// Pixels a glyph is tall at scale 1: 7 above the baseline and 2 of descender.
    public static let glyphHeight = 9
    /// Pixels from the cap line to the baseline at scale 1.
    public static let capHeight = 7
    /// Pixels from one character's left edge to the next one's at scale 1.
    public static let advance = 6

    /// The width of `text` drawn at `scale`: no gap after the last character.
    public static func width(of text: String, scale: Int = 1) -> Int {
        let count = text.count
        return count == 0 ? 0 : (count * advance - 1) * scale
    }

    /// The height of one line drawn at `scale`, descenders included.
    public static func height(scale: Int = 1) -> Int {
        glyphHeight * scale
    }

    /// The distance between the tops of two lines of text at `scale`.
    public static func lineHeight(scale: Int = 1) -> Int {
        (glyphHeight + 2) * scale
    }

    /// Whether `character` has its own glyph rather than the box.
    public static func hasGlyph(for character: Character) -> Bool {
        glyphs[character] != nil
    }

    /// The glyph's rows from top to bottom; bit 4 of a row is its leftmost pixel.
    static func rows(of character: Character) -> [UInt8] {
        glyphs[character] ?? missingGlyph
    }

    /// Calls `body` with the column and row (at scale 1, from the text's top-left) of every
    /// ink pixel of `text`.
    static func forEachInkPixel(of text: String, _ body: (Int, Int) -> Void) {
        for (index, character) in text.enumerated() {
            for (row, bits) in rows(of: character).enumerated() where bits != 0 {
                for bit in 0..<glyphWidth where bits & (1 << (glyphWidth - 1 - bit)) != 0 {
                    body(index * advance + bit, row)
                }
            }
        }
    }

    private static let missingGlyph: [UInt8] = parse(["#####", "#...#", "#...#", "#...#", "#...#", "#...#", "#####", ".....", "....."])

    private static let glyphs: [Character: [UInt8]] = {
        var table: [Character: [UInt8]] = [:]
        for strip in strips {
            let characters = Array(strip.characters)
            let columns = strip.rows.map { $0.split(separator: " ").map(String.init) }
            precondition(columns.count == glyphHeight && columns.allSatisfy { $0.count == characters.count },
                         "font strip \(strip.characters) is malformed")
            for (index, character) in characters.enumerated() {
                table[character] = parse(columns.map { $0[index] })
            }
        }
        return table
    }()

    private static func parse(_ art: [String]) -> [UInt8] {
        art.map { row in
            precondition(row.count == glyphWidth, "glyph row \(row) is not \(glyphWidth) wide")
            return row.reduce(0) { bits, pixel in bits << 1 | (pixel == "#" ? 1 : 0) }
        }
    }

    private static let strips: [(characters: String, rows: [String])] = [
        ("0123456789", [
            ".###. ..#.. .###. ##### ...#. ##### ..##. ##### .###. .###.",
            "#...# .##.. #...# ...#. ..##. #.... .#... ....# #...# #...#",
            "#..## ..#.. ....# ..#.. .#.#. ####. #.... ...#. #...# #...#",
            "#.#.# ..#.. ...#. ...#. #..#. ....# ####. ..#.. .###. .####",
            "##..# ..#.. ..#.. ....# ##### ....# #...# .#... #...# ....#",
            "#...# ..#.. .#... #...# ...#. #...# #...# .#... #...# ...#.",
            ".###. .###. ##### .###. ...#. .###. .###. .#... .###. .##..",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
        ]),
        ("ABCDEFGHIJKLM", [
            ".###. ####. .###. ###.. ##### ##### .###. #...# .###. ..### #...# #.... #...#",
            "#...# #...# #...# #..#. #.... #.... #...# #...# ..#.. ...#. #..#. #.... ##.##",
            "#...# #...# #.... #...# #.... #.... #.... #...# ..#.. ...#. #.#.. #.... #.#.#",
            "##### ####. #.... #...# ####. ####. #.### ##### ..#.. ...#. ##... #.... #.#.#",
            "#...# #...# #.... #...# #.... #.... #...# #...# ..#.. ...#. #.#.. #.... #...#",
            "#...# #...# #...# #..#. #.... #.... #...# #...# ..#.. #..#. #..#. #.... #...#",
            "#...# ####. .###. ###.. ##### #.... .#### #...# .###. .##.. #...# ##### #...#",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
        ]),
        ("NOPQRSTUVWXYZ", [
            "#...# .###. ####. .###. ####. .#### ##### #...# #...# #...# #...# #...# #####",
            "#...# #...# #...# #...# #...# #.... ..#.. #...# #...# #...# #...# #...# ....#",
            "##..# #...# #...# #...# #...# #.... ..#.. #...# #...# #...# .#.#. .#.#. ...#.",
            "#.#.# #...# ####. #...# ####. .###. ..#.. #...# #...# #.#.# ..#.. ..#.. ..#..",
            "#..## #...# #.... #.#.# #.#.. ....# ..#.. #...# #...# #.#.# .#.#. ..#.. .#...",
            "#...# #...# #.... #..#. #..#. ....# ..#.. #...# .#.#. #.#.# #...# ..#.. #....",
            "#...# .###. #.... .##.# #...# ####. ..#.. .###. ..#.. .#.#. #...# ..#.. #####",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
        ]),
        ("abcdefghijklm", [
            "..... #.... ..... ....# ..... ..##. ..... #.... ..#.. ...#. #.... .##.. .....",
            "..... #.... ..... ....# ..... .#..# ..... #.... ..... ..... #.... ..#.. .....",
            ".###. #.##. .###. .##.# .###. .#... .#### #.##. .##.. ..##. #..#. ..#.. ##.#.",
            "....# ##..# #.... #..## #...# ###.. #...# ##..# ..#.. ...#. #.#.. ..#.. #.#.#",
            ".#### #...# #.... #...# ##### .#... #...# #...# ..#.. ...#. ##... ..#.. #.#.#",
            "#...# #...# #...# #...# #.... .#... #...# #...# ..#.. ...#. #.#.. ..#.. #.#.#",
            ".#### ####. .###. .#### .###. .#... .#### #...# .###. ...#. #..#. .###. #.#.#",
            "..... ..... ..... ..... ..... ..... ....# ..... ..... #..#. ..... ..... .....",
            "..... ..... ..... ..... ..... ..... .###. ..... ..... .##.. ..... ..... .....",
        ]),
        ("nopqrstuvwxyz", [
            "..... ..... ..... ..... ..... ..... .#... ..... ..... ..... ..... ..... .....",
            "..... ..... ..... ..... ..... ..... .#... ..... ..... ..... ..... ..... .....",
            "#.##. .###. ####. .#### #.##. .#### ###.. #...# #...# #...# #...# #...# #####",
            "##..# #...# #...# #...# ##..# #.... .#... #...# #...# #...# .#.#. #...# ...#.",
            "#...# #...# #...# #...# #.... .###. .#... #...# #...# #.#.# ..#.. #...# ..#..",
            "#...# #...# #...# #...# #.... ....# .#..# #..## .#.#. #.#.# .#.#. #...# .#...",
            "#...# .###. ####. .#### #.... ####. ..##. .##.# ..#.. .#.#. #...# .#### #####",
            "..... ..... #.... ....# ..... ..... ..... ..... ..... ..... ..... ....# .....",
            "..... ..... #.... ....# ..... ..... ..... ..... ..... ..... ..... .###. .....",
        ]),
        (" !\"#$%&'()", [
            "..... ..#.. .#.#. .#.#. ..#.. ##... .##.. ..#.. ...#. .#...",
            "..... ..#.. .#.#. .#.#. .#### ##..# #..#. ..#.. ..#.. ..#..",
            "..... ..#.. ..... ##### #.#.. ...#. #.#.. ..... .#... ...#.",
            "..... ..#.. ..... .#.#. .###. ..#.. .#... ..... .#... ...#.",
            "..... ..#.. ..... ##### ..#.# .#... #.#.# ..... .#... ...#.",
            "..... ..... ..... .#.#. ####. #..## #..#. ..... ..#.. ..#..",
            "..... ..#.. ..... .#.#. ..#.. ...## .##.# ..... ...#. .#...",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
        ]),
        ("*+,-./:;<=>", [
            "..... ..... ..... ..... ..... ..... ..... ..... ...#. ..... .#...",
            "..#.. ..#.. ..... ..... ..... ....# ..... ..... ..#.. ..... ..#..",
            "#.#.# ..#.. ..... ..... ..... ...#. .##.. .##.. .#... ##### ...#.",
            ".###. ##### ..... .###. ..... ..#.. .##.. .##.. #.... ..... ....#",
            "#.#.# ..#.. ..... ..... ..... .#... ..... ..... .#... ##### ...#.",
            "..#.. ..#.. .##.. ..... .##.. #.... .##.. .##.. ..#.. ..... ..#..",
            "..... ..... .##.. ..... .##.. ..... .##.. .##.. ...#. ..... .#...",
            "..... ..... ..#.. ..... ..... ..... ..... ..#.. ..... ..... .....",
            "..... ..... .#... ..... ..... ..... ..... .#... ..... ..... .....",
        ]),
        ("?@[\\]^_`{|}~", [
            ".###. .###. .###. ..... .###. ..#.. ..... .#... ...#. ..#.. .#... .....",
            "#...# #...# .#... #.... ...#. .#.#. ..... ..#.. ..#.. ..#.. ..#.. .....",
            "....# ....# .#... .#... ...#. #...# ..... ...#. ..#.. ..#.. ..#.. .#...",
            "...#. .##.# .#... ..#.. ...#. ..... ..... ..... .#... ..#.. ...#. #.#.#",
            "..#.. #.#.# .#... ...#. ...#. ..... ..... ..... ..#.. ..#.. ..#.. ...#.",
            "..... #.#.# .#... ....# ...#. ..... ..... ..... ..#.. ..#.. ..#.. .....",
            "..#.. .###. .###. ..... .###. ..... ..... ..... ...#. ..#.. .#... .....",
            "..... ..... ..... ..... ..... ..... ##### ..... ..... ..... ..... .....",
            "..... ..... ..... ..... ..... ..... ..... ..... ..... ..... ..... .....",
        ]),
        ("×→·−", [
            "..... ..... ..... .....",
            "#...# ..#.. ..... .....",
            ".#.#. ...#. ..... .....",
            "..#.. ##### ..#.. #####",
            ".#.#. ...#. ..... .....",
            "#...# ..#.. ..... .....",
            "..... ..... ..... .....",
            "..... ..... ..... .....",
            "..... ..... ..... .....",
        ]),
    ]
}

/// Where the `x` given to `Canvas.drawText` sits on the text.
public enum TextAlignment: Sendable {
    /// `x` is the left edge.
    case left
    /// `x` is the middle.
    case center
    /// `x` is the right edge (the last pixel is at `x - 1`).
    case right
}

extension Canvas {
    /// Draws one line of `text` in the built-in font, each font pixel a `scale × scale` square.
    /// `y` is the top of the line (the cap line); `x` is placed by `alignment`.
    public mutating func drawText(_ text: String, x: Int, y: Int, scale: Int = 2,
                                  color: Color = .ink, alignment: TextAlignment = .left) {
        let width = BitmapFont.width(of: text, scale: scale)
        let left = switch alignment {
        case .left: x
        case .center: x - width / 2
        case .right: x - width
        }
        BitmapFont.forEachInkPixel(of: text) { column, row in
            fill(Rect(x: left + column * scale, y: y + row * scale, width: scale, height: scale), with: color)
        }
    }

    /// Draws `text` turned 90° anticlockwise, reading from bottom to top, as a chart's y-axis
    /// label is. `x` is the left edge (where the tops of the letters face) and the text is
    /// centred vertically on `centerY`.
    public mutating func drawTextUpward(_ text: String, x: Int, centerY: Int, scale: Int = 2, color: Color = .ink) {
        let length = BitmapFont.width(of: text, scale: scale)
        let bottom = centerY - length / 2 + length
        BitmapFont.forEachInkPixel(of: text) { column, row in
            fill(Rect(x: x + row * scale, y: bottom - (column + 1) * scale, width: scale, height: scale), with: color)
        }
    }
}
