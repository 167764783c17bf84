#define _GNU_SOURCE
#include "palisade_container.h"
#include "child_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SANDBOX_STACK_SIZE (64 * 1024)

struct sandbox_arguments {
    const char *hostname;
    int channel;
};

static int loopback_up(void) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct ifreq request;
    memset(&request, 0, sizeof request);
    copy_text(request.ifr_name, sizeof request.ifr_name, 0, "lo");
    int result = ioctl(fd, SIOCGIFFLAGS, &request);
    if (result == 0) {
        request.ifr_flags |= IFF_UP | IFF_RUNNING;
        result = ioctl(fd, SIOCSIFFLAGS, &request);
    }
    close(fd);
    return result;
}

static int sandbox_main(void *raw) {
    const struct sandbox_arguments *arguments = raw;
    int channel = arguments->channel;
    // It never execs, so it must not keep any of the parent's descriptors open (a file being
    // written for a container would stay busy, another child's channel never reach end of
    // file): all but the standard streams and its own channel go now, those at the end.
    if (channel > 3) syscall(SYS_close_range, 3, channel - 1, 0);
    syscall(SYS_close_range, channel + 1, ~0U, 0);
    if (channel_wait_release(channel) < 0) _exit(127);
    if (arguments->hostname && sethostname(arguments->hostname, strlen(arguments->hostname)) < 0) {
        channel_send(channel, CHANNEL_FAILED, errno, "setting the hostname", NULL, -1);
        _exit(127);
    }
    if (loopback_up() < 0) {
        channel_send(channel, CHANNEL_FAILED, errno, "bringing up loopback", NULL, -1);
        _exit(127);
    }
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    for (int fd = 0; fd < 3 && null >= 0; fd++) dup2(null, fd);
    syscall(SYS_close_range, 3, ~0U, 0);
    signal(SIGTERM, SIG_DFL);
    for (;;) pause();
}

pid_t palisade_sandbox_start(const char *hostname, const char *const *cgroup_procs, char *error, size_t error_size) {
    error[0] = 0;
    int channel[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) < 0) {
        snprintf(error, error_size, "socketpair: %s", strerror(errno));
        return -1;
    }
    void *stack = mmap(NULL, SANDBOX_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        snprintf(error, error_size, "sandbox stack: %s", strerror(errno));
        close(channel[0]);
        close(channel[1]);
        return -1;
    }
    struct sandbox_arguments arguments = { .hostname = hostname, .channel = channel[1] };
    pid_t pid = clone(sandbox_main, (char *)stack + SANDBOX_STACK_SIZE, CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD, &arguments);
    int clone_error = errno;
    munmap(stack, SANDBOX_STACK_SIZE);
    close(channel[1]);
    if (pid < 0) {
        snprintf(error, error_size, "clone: %s", strerror(clone_error));
        close(channel[0]);
        return -1;
    }
    int failed = 0;
    for (const char *const *procs = cgroup_procs; procs && *procs && !failed; procs++) {
        int fd = open(*procs, O_WRONLY | O_CLOEXEC);
        char number[24];
        int length = snprintf(number, sizeof number, "%d", pid);
        if (fd < 0 || write(fd, number, (size_t)length) != length) {
            snprintf(error, error_size, "joining cgroup %s: %s", *procs, strerror(errno));
            failed = 1;
        }
        if (fd >= 0) close(fd);
    }
    if (!failed) {
        channel_release(channel[0]);
        struct channel_message message;
        int fd;
        // The sandbox closes its end once set up (end of file), or reports what failed.
        int received = channel_receive(channel[0], &message, &fd);
        if (received < 0) {
            snprintf(error, error_size, "reading from the sandbox: %s", strerror(errno));
            failed = 1;
        } else if (received > 0) {
            snprintf(error, error_size, "%s: %s", message.step, strerror(message.error_number));
            failed = 1;
        }
    }
    close(channel[0]);
    if (failed) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        return -1;
    }
    return pid;
}
