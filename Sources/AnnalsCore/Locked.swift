import Foundation

/// A value shared between threads behind a lock (OCR's page queue, the
/// review's renderers, a batch worker's exit status).
public final class Locked<Value>: @unchecked Sendable {
    private var stored: Value
    private let lock = NSLock()
    public init(_ value: Value) { stored = value }
    public var value: Value { lock.withLock { stored } }
    public func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
