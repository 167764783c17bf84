#define _GNU_SOURCE
#include "palisade_container.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>

int palisade_seccomp_receive(int listener, uint64_t *id, int *syscall_number, pid_t *pid) {
    struct seccomp_notif notification;
    for (;;) {
        // Wait for a notification, or for the last process under the filter to be gone
        // (hang-up): receiving without this would return at once, again and again.
        struct pollfd ready = { .fd = listener, .events = POLLIN };
        if (poll(&ready, 1, -1) < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (!(ready.revents & POLLIN)) return -1;
        // The kernel wants the structure zeroed on every call.
        memset(&notification, 0, sizeof notification);
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &notification) == 0) break;
        if (errno != EINTR && errno != ENOENT) return -1;  // ENOENT: its caller died meanwhile
    }
    *id = notification.id;
    *syscall_number = notification.data.nr;
    *pid = (pid_t)notification.pid;
    return 0;
}

int palisade_seccomp_respond(int listener, uint64_t id, int error_number) {
    struct seccomp_notif_resp response;
    memset(&response, 0, sizeof response);
    response.id = id;
    response.error = -error_number;
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response) == 0) return 0;
    return errno == ENOENT ? 0 : -1;
}
