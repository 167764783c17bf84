#define _GNU_SOURCE
#include "child_channel.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

size_t copy_text(char *buffer, size_t size, size_t at, const char *text) {
    while (text && *text && at + 1 < size) buffer[at++] = *text++;
    if (at < size) buffer[at] = 0;
    return at;
}

void channel_send(int socket, int type, int error_number, const char *step, const char *detail, int fd) {
    struct channel_message message = { .type = type, .error_number = error_number };
    size_t at = copy_text(message.step, sizeof message.step, 0, step);
    if (detail) {
        at = copy_text(message.step, sizeof message.step, at, " ");
        copy_text(message.step, sizeof message.step, at, detail);
    }
    struct iovec vector = { .iov_base = &message, .iov_len = sizeof message };
    union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr header = { .msg_iov = &vector, .msg_iovlen = 1 };
    if (fd >= 0) {
        memset(&control, 0, sizeof control);
        header.msg_control = control.buffer;
        header.msg_controllen = sizeof control.buffer;
        struct cmsghdr *attached = CMSG_FIRSTHDR(&header);
        attached->cmsg_level = SOL_SOCKET;
        attached->cmsg_type = SCM_RIGHTS;
        attached->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(attached), &fd, sizeof(int));
    }
    while (sendmsg(socket, &header, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
}

int channel_receive(int socket, struct channel_message *message, int *fd) {
    *fd = -1;
    struct iovec vector = { .iov_base = message, .iov_len = sizeof *message };
    union { char buffer[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } control;
    struct msghdr header = { .msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer, .msg_controllen = sizeof control.buffer };
    ssize_t count;
    do { count = recvmsg(socket, &header, MSG_CMSG_CLOEXEC); } while (count < 0 && errno == EINTR);
    if (count <= 0) return (int)count;
    for (struct cmsghdr *attached = CMSG_FIRSTHDR(&header); attached; attached = CMSG_NXTHDR(&header, attached)) {
        if (attached->cmsg_level == SOL_SOCKET && attached->cmsg_type == SCM_RIGHTS) memcpy(fd, CMSG_DATA(attached), sizeof(int));
    }
    return count == sizeof *message ? 1 : -1;
}

int channel_wait_release(int socket) {
    char byte;
    ssize_t count;
    do { count = read(socket, &byte, 1); } while (count < 0 && errno == EINTR);
    return count == 1 ? 0 : -1;
}

int channel_release(int socket) {
    char byte = 1;
    ssize_t count;
    do { count = write(socket, &byte, 1); } while (count < 0 && errno == EINTR);
    return count == 1 ? 0 : -1;
}
