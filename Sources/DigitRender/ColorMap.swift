// Colour maps: numbers to colours, by linear interpolation between ColorBrewer anchor colours.

/// Maps numbers to colours for the weight images and the heat map.
public enum ColorMap {
    /// Blue for negative, white for zero, red for positive: `value` in −1…1 (clamped), so a
    /// symmetric scale `value = w / limit` puts zero at white. ColorBrewer's RdBu with a pure
    /// white centre.
    public static func diverging(_ value: Double) -> Color {
        interpolate(divergingAnchors, at: (clamped(value, -1, 1) + 1) / 2)
    }

    /// White for 0 through light to dark blue for 1: `value` in 0…1 (clamped). ColorBrewer's
    /// Blues with a pure white start.
    public static func sequential(_ value: Double) -> Color {
        interpolate(sequentialAnchors, at: clamped(value, 0, 1))
    }

    private static let divergingAnchors: [Color] = [
        0x2166AC, 0x67A9CF, 0xD1E5F0, 0xFFFFFF, 0xFDDBC7, 0xEF8A62, 0xB2182B,
    ].map { Color(hex: $0) }

    private static let sequentialAnchors: [Color] = [
        0xFFFFFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B,
    ].map { Color(hex: $0) }

    /// The colour at `t` in 0…1 along evenly spaced `anchors`.
    private static func interpolate(_ anchors: [Color], at t: Double) -> Color {
        let position = t * Double(anchors.count - 1)
        let lower = min(Int(position), anchors.count - 2)
        return anchors[lower].mixed(with: anchors[lower + 1], by: position - Double(lower))
    }

    private static func clamped(_ value: Double, _ low: Double, _ high: Double) -> Double {
        value.isNaN ? 0 : min(max(value, low), high)
    }
}
