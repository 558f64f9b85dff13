import Foundation
import GRDB
internal import GRDBSQLite

/// A statement prepared on the connection GRDB holds, bound and stepped
/// through SQLite's own functions.
///
/// For the rows a batch writes and exports by the thousand: GRDB's general
/// binding (arguments boxed as existentials, one closure per value) and
/// its rows (a value and a string copy per column) cost more than SQLite's
/// own work there. Values are bound as GRDB binds them: text with its
/// length from the NUL, integers as 64 bits, booleans as 0 or 1.
final class RawStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        guard let connection = db.sqliteConnection else { throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed database") }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// Binds the next parameter.
    func bind(_ text: String?) {
        index += 1
        if let text { sqlite3_bind_text(handle, index, text, -1, Self.transient) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ integer: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, integer)
    }

    func bind(_ integer: Int) { bind(Int64(integer)) }

    func bind(_ flag: Bool) { bind(Int64(flag ? 1 : 0)) }

    func bind(_ number: Double) {
        index += 1
        sqlite3_bind_double(handle, index, number)
    }

    /// A figure as `Archive.number` stores it: an integer, or its text.
    func bind(_ value: Archive.Number) {
        switch value {
        case .integer(let i): bind(i)
        case .text(let t): bind(t)
        }
    }

    /// Runs the statement with the values bound, and makes it ready for the next.
    func run() throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            index = 0
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Binds `arguments`, then steps through the rows; `body` reads the current one.
    func rows(_ arguments: [String?], _ body: (Row) throws -> Void) throws {
        for argument in arguments { bind(argument) }
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            index = 0
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
            }
            try body(Row(handle: handle))
        }
    }

    /// The current row of a query.
    struct Row {
        fileprivate let handle: OpaquePointer

        var count: Int { Int(sqlite3_column_count(handle)) }

        func name(_ i: Int) -> String { String(cString: sqlite3_column_name(handle, Int32(i))) }

        /// Column `i` as text: NULL as nil, integers and reals in Swift's
        /// decimal notation, text as it is.
        func text(_ i: Int) -> String? {
            let column = Int32(i)
            switch sqlite3_column_type(handle, column) {
            case SQLITE_NULL: return nil
            case SQLITE_INTEGER: return String(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT: return String(sqlite3_column_double(handle, column))
            case SQLITE_BLOB: return "<blob>"
            default:
                guard let bytes = sqlite3_column_text(handle, column) else { return nil }
                return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
            }
        }

        /// Column `i` as `text(i)` would give it, as UTF-8 lent to `body`;
        /// text without a copy.
        func withUTF8<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
            let column = Int32(i)
            guard sqlite3_column_type(handle, column) == SQLITE_TEXT else {
                guard var text = text(i) else { return try body(nil) }
                return try text.withUTF8 { try body($0) }
            }
            let bytes = sqlite3_column_text(handle, column)
            return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
        }

        func isNull(_ i: Int) -> Bool { sqlite3_column_type(handle, Int32(i)) == SQLITE_NULL }

        /// Column `i` if it holds a floating-point number.
        func double(_ i: Int) -> Double? {
            sqlite3_column_type(handle, Int32(i)) == SQLITE_FLOAT ? sqlite3_column_double(handle, Int32(i)) : nil
        }

        func isInteger(_ i: Int, _ value: Int64) -> Bool {
            sqlite3_column_type(handle, Int32(i)) == SQLITE_INTEGER && sqlite3_column_int64(handle, Int32(i)) == value
        }
    }
}
