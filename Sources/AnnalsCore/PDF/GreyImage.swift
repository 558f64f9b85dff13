/// An 8-bit grey raster of a page or a region (0 black, 255 white), with the
/// mapping back to page points.
public struct GreyImage: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var dpi: Double
    /// The page point at pixel (0, 0).
    public var originX: Double
    public var originY: Double
    /// Row-major, `width * height` bytes.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, dpi: Double, origin: (Double, Double), pixels: [UInt8]) {
        precondition(pixels.count == width * height, "pixel buffer does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.dpi = dpi
        self.originX = origin.0
        self.originY = origin.1
        self.pixels = pixels
    }

    /// The pixel rectangle covering `rect` (in page points), clipped to the image.
    public func pixelRange(of rect: Rect) -> (xs: Range<Int>, ys: Range<Int>) {
        let scale = dpi / 72
        func clampX(_ v: Double) -> Int { min(width, max(0, Int(v))) }
        func clampY(_ v: Double) -> Int { min(height, max(0, Int(v))) }
        let x0 = clampX(((rect.x0 - originX) * scale).rounded(.down))
        let x1 = clampX(((rect.x1 - originX) * scale).rounded(.up))
        let y0 = clampY(((rect.y0 - originY) * scale).rounded(.down))
        let y1 = clampY(((rect.y1 - originY) * scale).rounded(.up))
        return (x0..<max(x0, x1), y0..<max(y0, y1))
    }

    /// The fraction of pixels inside `rect` darker than `threshold`.
    public func inkFraction(in rect: Rect, threshold: UInt8 = 128) -> Double {
        let (xs, ys) = pixelRange(of: rect)
        guard !xs.isEmpty, !ys.isEmpty else { return 0 }
        var dark = 0
        for y in ys { for x in xs where pixels[y * width + x] < threshold { dark += 1 } }
        return Double(dark) / Double(xs.count * ys.count)
    }
}
