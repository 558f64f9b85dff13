/// A rectangle in PDF user-space points, origin at the top-left corner of the
/// page as displayed (page rotation already applied), y growing downwards.
///
/// It encodes as the contract's `bbox`: `[x0, y0, x1, y1]`.
public struct Rect: Sendable, Hashable {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = min(x0, x1)
        self.y0 = min(y0, y1)
        self.x1 = max(x0, x1)
        self.y1 = max(y0, y1)
    }

    public var width: Double { x1 - x0 }
    public var height: Double { y1 - y0 }
    public var midX: Double { (x0 + x1) / 2 }
    public var midY: Double { (y0 + y1) / 2 }

    /// The smallest rectangle holding both.
    public func union(_ other: Rect) -> Rect {
        Rect(x0: Swift.min(x0, other.x0), y0: Swift.min(y0, other.y0),
             x1: Swift.max(x1, other.x1), y1: Swift.max(y1, other.y1))
    }

    /// How much the two overlap vertically, in points (0 when they do not).
    public func verticalOverlap(with other: Rect) -> Double {
        Swift.max(0, Swift.min(y1, other.y1) - Swift.max(y0, other.y0))
    }

    /// Whether `other` lies inside this rectangle, allowing `slack` points.
    public func contains(_ other: Rect, slack: Double = 0) -> Bool {
        other.x0 >= x0 - slack && other.y0 >= y0 - slack
            && other.x1 <= x1 + slack && other.y1 <= y1 + slack
    }
}

extension Rect: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let x0 = try c.decode(Double.self), y0 = try c.decode(Double.self)
        let x1 = try c.decode(Double.self), y1 = try c.decode(Double.self)
        self.init(x0: x0, y0: y0, x1: x1, y1: y1)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        // Two decimals is a hundredth of a point: far finer than any glyph, and
        // it keeps the JSON readable and stable across platforms.
        for v in [x0, y0, x1, y1] { try c.encode((v * 100).rounded() / 100) }
    }
}
