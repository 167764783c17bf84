import PalisadeAPI

/// The objects of a manifest file, each with the line its document starts on: multi-document
/// YAML (`---` separated), JSON, and `kind: List` documents (as `kubectl get -o yaml` writes).
public enum ManifestDocuments {
    public struct Object: Sendable {
        public let line: Int
        public let object: JSONValue
    }

    public static func objects(in text: String) throws(YAMLFieldError) -> [Object] {
        var objects: [Object] = []
        for document in split(text) {
            let line = document.contentLine ?? document.firstLine
            let source = document.lines.joined(separator: "\n")
            let value: JSONValue
            do {
                // Composing first finds syntax errors with their line, shifted to the file's.
                guard try YAMLFields.composeIfPresent(source) != nil else { continue }
                value = try YAMLDecoding.parse(Array(source.utf8))
            } catch let error as YAMLFieldError {
                throw YAMLFieldError(line: error.line.map { $0 + document.firstLine - 1 } ?? line, error.problem)
            } catch {
                throw YAMLFieldError(line: line, "the document starting here cannot be read: \((error as? APIError)?.message ?? "\(error)")")
            }
            guard value.objectValue != nil else { throw YAMLFieldError(line: line, "a document must be an object") }
            if value.kind == "List", let items = value["items"]?.arrayValue {
                objects += items.map { Object(line: line, object: $0) }
            } else {
                objects.append(Object(line: line, object: value))
            }
        }
        return objects
    }

    /// A document of the file: its text, the line its text begins on, and the line of its
    /// first content (what a reader should be pointed at; comments and blank lines skipped).
    struct Document {
        var firstLine: Int
        var contentLine: Int?
        var lines: [Substring] = []
    }

    /// The documents of `text` that have content. A separator is a line that is `---` or
    /// starts with `--- `.
    static func split(_ text: String) -> [Document] {
        var documents: [Document] = []
        var current = Document(firstLine: 1)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            if line == "---" || line.hasPrefix("--- ") || line == "---\r" {
                if current.contentLine != nil { documents.append(current) }
                current = Document(firstLine: index + 2)
                continue
            }
            current.lines.append(line)
            if current.contentLine == nil, !content.isEmpty, !content.hasPrefix("#") { current.contentLine = index + 1 }
        }
        if current.contentLine != nil { documents.append(current) }
        return documents
    }
}
