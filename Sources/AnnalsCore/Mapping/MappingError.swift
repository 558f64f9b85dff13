/// A mapping file that cannot be used, with where and why, like a compiler:
/// `mappings/x.yaml:12:7: error: unknown concept "income_statment.costs"`.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}
