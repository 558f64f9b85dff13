/// The tool's version, as written into every output's `tool.version`.
public enum AnnalsVersion {
    public static let current = "0.1.0"
}
