import Foundation

extension Decimal {
    /// Rounded to `places` digits after the point, halves away from zero
    /// (`NSDecimalRound`'s plain mode): how printed figures are rounded.
    func rounded(places: Int = 0) -> Decimal {
        var source = self, result = Decimal()
        NSDecimalRound(&result, &source, places, .plain)
        return result
    }
}
