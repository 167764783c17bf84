#include <zlib.h>

/// inflateInit2 is a macro, which Swift cannot call.
static inline int palisade_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 16 + MAX_WBITS);
}
