#define _GNU_SOURCE
#include "palisade_container.h"
#include "child_channel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

// A socket belongs to the network namespace it was made in, and keeps it after being
// passed on: a short-lived child enters the pod's namespace, connects and hands the
// connected socket back, so no thread of the agent ever changes namespace.
int palisade_connect_in_namespace(int netns_fd, int port, int timeout_ms) {
    int channel[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) < 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(channel[0]);
        close(channel[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        // Only what it needs: another start's descriptors must not linger here.
        close(channel[0]);
        int low = channel[1] < netns_fd ? channel[1] : netns_fd;
        int high = channel[1] < netns_fd ? netns_fd : channel[1];
        if (low > 3) syscall(SYS_close_range, 3, low - 1, 0);
        if (high > low + 1) syscall(SYS_close_range, low + 1, high - 1, 0);
        syscall(SYS_close_range, high + 1, ~0U, 0);
        if (setns(netns_fd, CLONE_NEWNET) < 0) {
            channel_send(channel[1], CHANNEL_FAILED, errno, "", NULL, -1);
            _exit(1);
        }
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct timeval timeout = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
        struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout) < 0
            || connect(fd, (struct sockaddr *)&address, sizeof address) < 0) {
            channel_send(channel[1], CHANNEL_FAILED, errno, "", NULL, -1);
            _exit(1);
        }
        channel_send(channel[1], CHANNEL_LISTENER, 0, "", NULL, fd);
        _exit(0);
    }
    close(channel[1]);
    struct channel_message message;
    int fd = -1;
    int received = channel_receive(channel[0], &message, &fd);
    int saved = errno;
    close(channel[0]);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
    if (received <= 0) {
        errno = received < 0 ? saved : ECONNREFUSED;
        return -1;
    }
    if (message.type == CHANNEL_FAILED) {
        errno = message.error_number;
        return -1;
    }
    return fd;
}
