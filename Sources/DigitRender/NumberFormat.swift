// Fixed-point text for numbers, without Foundation: tick labels, confidences, colour-bar ends.

enum NumberFormat {
    /// `value` rounded to `decimals` places, e.g. `fixed(0.1234, decimals: 2)` is `"0.12"`.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var power = 1.0
        for _ in 0..<decimals { power *= 10 }
        let scaled = (abs(value) * power).rounded()
        guard scaled < 9e15 else { return String(value) }
        let units = Int(scaled)
        let whole = units / Int(power)
        let sign = value < 0 && units != 0 ? "-" : ""
        guard decimals > 0 else { return "\(sign)\(whole)" }
        let fraction = String(units % Int(power))
        return "\(sign)\(whole).\(String(repeating: "0", count: decimals - fraction.count))\(fraction)"
    }

    /// A fraction in 0…1 as a percentage, e.g. `percent(0.98213, decimals: 1)` is `"98.2%"`.
    static func percent(_ fraction: Double, decimals: Int) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
    }
}
