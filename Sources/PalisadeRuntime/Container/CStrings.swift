import Glibc

/// C strings, and a NULL-terminated array of them, that live as long as this value: the
/// launcher's child reads them after clone, so they are made before it and freed after.
final class CStrings {
    private let strings: [UnsafeMutablePointer<CChar>?]
    /// The NULL-terminated array.
    let array: UnsafeMutablePointer<UnsafePointer<CChar>?>

    init(_ values: [String]) {
        strings = values.map { strdup($0) }
        array = .allocate(capacity: values.count + 1)
        for (index, string) in strings.enumerated() { array[index] = UnsafePointer(string) }
        array[values.count] = nil
    }

    subscript(index: Int) -> UnsafePointer<CChar>? { array[index] }

    deinit {
        strings.forEach { free($0) }
        array.deallocate()
    }
}
