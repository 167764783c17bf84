import CZlib
import Foundation

/// Reads a layer blob as a byte stream, gunzipping it when its media type says so.
final class LayerReader {
    private let handle: FileHandle
    private let gzip: Bool
    private var stream = z_stream()
    private var input = [UInt8]()
    private var output = [UInt8]()
    private var finished = false

    init(path: String, gzip: Bool) throws(ImageError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImageError("cannot read layer \(path)") }
        self.handle = handle
        self.gzip = gzip
        if gzip && palisade_inflate_init_gzip(&stream) != Z_OK { throw ImageError("cannot start gunzip") }
    }

    deinit {
        if gzip { inflateEnd(&stream) }
        try? handle.close()
    }

    /// Exactly `count` bytes, or fewer only at the end of the stream.
    func read(_ count: Int) throws(ImageError) -> [UInt8] {
        while output.count < count && !finished { try fill() }
        let taken = Array(output.prefix(count))
        output.removeFirst(taken.count)
        return taken
    }

    /// Skips `count` bytes.
    func skip(_ count: Int) throws(ImageError) {
        var left = count
        while left > 0 {
            let chunk = try read(min(left, 1 << 20))
            if chunk.isEmpty { throw ImageError("layer ends inside an entry") }
            left -= chunk.count
        }
    }

    private func fill() throws(ImageError) {
        let data: Data
        do {
            data = try handle.read(upToCount: 1 << 16) ?? Data()
        } catch {
            throw ImageError("cannot read layer: \(error)")
        }
        guard gzip else {
            if data.isEmpty { finished = true } else { output += data }
            return
        }
        input += data
        if input.isEmpty && data.isEmpty {
            finished = true
            return
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        let consumed: Int
        let produced: Int
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            chunk.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = UInt32(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = UInt32(outputBuffer.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
        }
        consumed = input.count - Int(stream.avail_in)
        produced = chunk.count - Int(stream.avail_out)
        input.removeFirst(consumed)
        output += chunk.prefix(produced)
        switch status {
        case Z_STREAM_END: finished = true
        case Z_OK: if data.isEmpty && consumed == 0 && produced == 0 { throw ImageError("layer is truncated") }
        case Z_BUF_ERROR: if data.isEmpty { throw ImageError("layer is truncated") }
        default: throw ImageError("layer is not valid gzip (zlib \(status))")
        }
    }
}
