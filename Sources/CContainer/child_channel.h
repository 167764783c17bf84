#ifndef PALISADE_CHILD_CHANNEL_H
#define PALISADE_CHILD_CHANNEL_H

// The socket between the parent and a child it is setting up. The child reports what
// happened (a failed step, a user namespace waiting for its maps, a seccomp listener), the
// parent answers with release bytes. Both ends are close-on-exec, so a successful execve
// reads as end of file. Everything here is safe to call in a child of a threaded process.

#include <stddef.h>

enum channel_message_type {
    CHANNEL_FAILED = 1,       // a step failed: `step` and `error_number` say which and why
    CHANNEL_NEEDS_MAPS = 2,   // the child made its user namespace; write its maps
    CHANNEL_LISTENER = 3,     // the seccomp listener travels with this message
};

struct channel_message {
    int type;
    int error_number;
    char step[200];
};

/// Sends a message, with `fd` attached when it is not -1.
void channel_send(int socket, int type, int error_number, const char *step, const char *detail, int fd);
/// Receives a message and any attached fd (-1 if none). Returns 0 at end of file, -1 on error.
int channel_receive(int socket, struct channel_message *message, int *fd);
/// Blocks until the parent sends a release byte; 0 on success.
int channel_wait_release(int socket);
int channel_release(int socket);

/// Copies `text` into `buffer` (always terminated), returning the length written.
size_t copy_text(char *buffer, size_t size, size_t at, const char *text);

#endif
