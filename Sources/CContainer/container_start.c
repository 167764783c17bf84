#define _GNU_SOURCE
#include "palisade_container.h"
#include "child_channel.h"
#include "container_fs.h"
#include "credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

_Static_assert(PALISADE_NEW_MOUNT == CLONE_NEWNS && PALISADE_NEW_UTS == CLONE_NEWUTS && PALISADE_NEW_IPC == CLONE_NEWIPC
    && PALISADE_NEW_PID == CLONE_NEWPID && PALISADE_NEW_NETWORK == CLONE_NEWNET, "namespace flags");

#define CHILD_STACK_SIZE (256 * 1024)

struct child_arguments {
    const struct palisade_container_config *config;
    int channel;
};

/// Reports the failed step to the parent and ends the child.
static int fail(int channel, const char *step, const char *detail) {
    channel_send(channel, CHANNEL_FAILED, errno, step, detail, -1);
    _exit(127);
}

static const char *environment_value(const char *const *envp, const char *name) {
    size_t length = strlen(name);
    for (; envp && *envp; envp++) {
        if (strncmp(*envp, name, length) == 0 && (*envp)[length] == '=') return *envp + length + 1;
    }
    return NULL;
}

/// execve, tried again for a moment while the file is busy being written (ETXTBSY: a
/// process started at the same moment may still hold a descriptor of it, briefly).
static void exec_when_free(const char *path, char *const *argv, char *const *envp) {
    for (int attempt = 0; attempt < 50; attempt++) {
        execve(path, argv, envp);
        if (errno != ETXTBSY) return;
        struct timespec pause = { .tv_sec = 0, .tv_nsec = 10 * 1000 * 1000 };
        nanosleep(&pause, NULL);
    }
}

/// execve with argv[0] looked up on the container's PATH, as execvpe does, but with
/// buffers on the stack only. On failure errno is the most telling error met (a program
/// found but not runnable says more than the directories where it was not).
static void exec_program(const struct palisade_container_config *config) {
    const char *program = config->argv[0];
    char *const *argv = (char *const *)config->argv;
    char *const *envp = (char *const *)config->envp;
    if (strchr(program, '/')) {
        exec_when_free(program, argv, envp);
        return;
    }
    const char *search = environment_value(config->envp, "PATH");
    if (!search) search = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    int telling = ENOENT;
    char candidate[PATH_MAX];
    while (*search) {
        const char *end = strchr(search, ':');
        if (!end) end = search + strlen(search);
        size_t at = 0;
        for (const char *cursor = search; cursor < end && at + 1 < sizeof candidate; cursor++) candidate[at++] = *cursor;
        if (at == 0) candidate[at++] = '.';
        candidate[at] = 0;
        at = copy_text(candidate, sizeof candidate, at, "/");
        copy_text(candidate, sizeof candidate, at, program);
        exec_when_free(candidate, argv, envp);
        if (errno != ENOENT && errno != ENOTDIR) telling = errno;
        search = *end ? end + 1 : end;
    }
    errno = telling;
}

/// Closes every descriptor the child inherited except the standard streams' sources, the
/// channel and the namespaces to join, first thing: a file the agent is writing for another
/// container must not stay open here (its exec would fail as busy), nor anything else of
/// the agent's reach the container.
static void close_inherited(const struct palisade_container_config *config, int channel) {
    int keep[3 + 1 + 3 + 16];
    size_t count = 0;
    for (int fd = 0; fd < 3; fd++) keep[count++] = fd;
    keep[count++] = channel;
    for (int fd = 0; fd < 3; fd++) if (config->stdio[fd] >= 0) keep[count++] = config->stdio[fd];
    for (size_t index = 0; index < config->join_count && index < 16; index++) keep[count++] = config->join_fds[index];
    for (size_t i = 1; i < count; i++) {
        for (size_t j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int swap = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = swap;
        }
    }
    unsigned int next = 0;
    for (size_t index = 0; index < count; index++) {
        if ((unsigned int)keep[index] > next) syscall(SYS_close_range, next, (unsigned int)keep[index] - 1, 0);
        if ((unsigned int)keep[index] + 1 > next) next = (unsigned int)keep[index] + 1;
    }
    syscall(SYS_close_range, next, ~0U, 0);
}

/// Every signal back to its default action and none blocked: the agent's threads block and
/// ignore some, and a container must not start with SIGTERM blocked.
static void reset_signals(void) {
    struct sigaction standard;
    memset(&standard, 0, sizeof standard);
    standard.sa_handler = SIG_DFL;
    for (int number = 1; number < NSIG; number++) sigaction(number, &standard, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

static int load_seccomp(const struct palisade_container_config *config, int channel, int with_listener) {
    struct sock_fprog program = {
        .len = (unsigned short)(config->seccomp_program_length / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)config->seccomp_program,
    };
    unsigned long flags = with_listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
    long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &program);
    if (listener < 0) return -1;
    if (with_listener) {
        channel_send(channel, CHANNEL_LISTENER, 0, "", NULL, (int)listener);
        close((int)listener);
    }
    return 0;
}

/// Opens namespace file `kind` ("mnt", "pid", ...) of process `pid`.
static int open_namespace_of(pid_t pid, const char *kind, int channel) {
    char path[64];
    char digits[16];
    int length = 0;
    for (pid_t rest = pid; rest > 0 && length < 15; rest /= 10) digits[length++] = (char)('0' + rest % 10);
    size_t at = copy_text(path, sizeof path, 0, "/proc/");
    while (length > 0 && at + 1 < sizeof path) path[at++] = digits[--length];
    path[at] = 0;
    at = copy_text(path, sizeof path, at, "/ns/");
    copy_text(path, sizeof path, at, kind);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(channel, "opening the container's namespace", kind);
    return fd;
}

/// Joins the namespaces of the running container `config->enter_pid` (as `runc exec` does):
/// its mount namespace gives its root, with every mount it made. All are opened first (the
/// container's /proc, once inside, does not show the host's pids); its user namespace comes
/// last (the others belong to the host's); and the PID namespace applies to children only,
/// so this forks: the child goes on to exec, this process waits and passes its end on.
static void enter_container(const struct palisade_container_config *config, int channel) {
    static const char *const kinds[] = { "mnt", "cgroup", "net", "ipc", "uts", "pid", "user" };
    size_t count = config->enter_user_namespace ? 7 : 6;
    int files[7];
    for (size_t index = 0; index < count; index++) files[index] = open_namespace_of(config->enter_pid, kinds[index], channel);
    for (size_t index = 0; index < count; index++) {
        if (setns(files[index], 0) < 0) fail(channel, "entering the container's namespace", kinds[index]);
        close(files[index]);
    }
    pid_t child = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child < 0) fail(channel, "entering the container's PID namespace", NULL);
    if (child == 0) {
        // Ended with the process the agent waits for (a probe's timeout kills that one).
        prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        return;
    }
    close(channel);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

static int child_main(void *raw) {
    const struct child_arguments *arguments = raw;
    const struct palisade_container_config *config = arguments->config;
    int channel = arguments->channel;
    const char *step = "";
    close_inherited(config, channel);
    reset_signals();

    // The parent puts the child in its cgroups first, so all that follows is accounted.
    if (channel_wait_release(channel) < 0) _exit(127);
    for (int fd = 0; fd < 3; fd++) {
        if (config->stdio[fd] >= 0 && config->stdio[fd] != fd && dup2(config->stdio[fd], fd) < 0) fail(channel, "standard streams", NULL);
    }
    if (config->enter_pid > 0) {
        enter_container(config, channel);
        goto privileges;
    }
    for (size_t index = 0; index < config->join_count; index++) {
        if (setns(config->join_fds[index], 0) < 0) fail(channel, "joining the pod's namespaces", NULL);
    }
    if (config->new_cgroup_namespace && unshare(CLONE_NEWCGROUP) < 0) fail(channel, "cgroup namespace", NULL);
    if ((config->clone_flags & CLONE_NEWUTS) && config->hostname && sethostname(config->hostname, strlen(config->hostname)) < 0) {
        fail(channel, "setting the hostname", NULL);
    }

    if (fs_prepare_root(config->rootfs, &step) < 0) fail(channel, step, NULL);
    for (size_t index = 0; index < config->mount_count; index++) {
        if (fs_mount(config->rootfs, &config->mounts[index], &step) < 0) fail(channel, step, config->mounts[index].destination);
    }
    if (config->default_devices && fs_make_devices(config->rootfs, &step) < 0) fail(channel, step, NULL);
    if (fs_pivot_root(config->rootfs, &step) < 0) fail(channel, step, NULL);
    for (const char *const *path = config->masked_paths; path && *path; path++) {
        if (fs_mask(*path, &step) < 0) fail(channel, step, *path);
    }
    for (const char *const *path = config->readonly_paths; path && *path; path++) {
        if (fs_make_readonly(*path, &step) < 0) fail(channel, step, *path);
    }
    if (config->readonly_rootfs && fs_readonly_root(&step) < 0) fail(channel, step, NULL);

    // The mounts are made as the host's root; the user namespace only takes privilege away.
    if (config->user_namespace) {
        if (unshare(CLONE_NEWUSER) < 0) fail(channel, "user namespace", NULL);
        channel_send(channel, CHANNEL_NEEDS_MAPS, 0, "", NULL, -1);
        if (channel_wait_release(channel) < 0) _exit(127);
    }

privileges:
    // Nothing of the agent's may reach the container: every descriptor above the standard
    // streams closes at execve (the channel must stay open until then).
    if (syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC) < 0) fail(channel, "closing the agent's descriptors", NULL);

    // Without no_new_privs the kernel takes a filter only from a process holding
    // CAP_SYS_ADMIN, so then it goes in before the capabilities are dropped, and without a
    // listener: a call it denied before exec would wait on a parent that is not listening.
    int seccomp_early = config->seccomp_program && !config->no_new_privs;
    if (seccomp_early && load_seccomp(config, channel, 0) < 0) fail(channel, "loading the seccomp filter", NULL);
    if (credentials_apply(config, &step) < 0) fail(channel, step, NULL);
    if (config->cwd && chdir(config->cwd) < 0) fail(channel, "working directory", config->cwd);
    if (config->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(channel, "no_new_privs", NULL);
    if (config->seccomp_program && !seccomp_early && load_seccomp(config, channel, config->seccomp_listener) < 0) {
        fail(channel, "loading the seccomp filter", NULL);
    }

    exec_program(config);
    fail(channel, "exec", config->argv[0]);
    return 127;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return written == (ssize_t)length ? 0 : -1;
}

static int write_maps(pid_t pid, const struct palisade_container_config *config) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
    if (write_file(path, config->uid_map) < 0) return -1;
    snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
    return write_file(path, config->gid_map);
}

static void describe_failure(struct palisade_started *started, const char *step, int error_number) {
    snprintf(started->error, sizeof started->error, "%s: %s", step, strerror(error_number));
}

int palisade_container_start(const struct palisade_container_config *config, struct palisade_started *started) {
    started->pid = -1;
    started->seccomp_listener_fd = -1;
    started->error[0] = 0;
    int channel[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, channel) < 0) {
        describe_failure(started, "socketpair", errno);
        return -1;
    }
    void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        describe_failure(started, "child stack", errno);
        close(channel[0]);
        close(channel[1]);
        return -1;
    }
    struct child_arguments arguments = { .config = config, .channel = channel[1] };
    pid_t pid = clone(child_main, (char *)stack + CHILD_STACK_SIZE, config->clone_flags | SIGCHLD, &arguments);
    int clone_error = errno;
    munmap(stack, CHILD_STACK_SIZE);
    close(channel[1]);
    if (pid < 0) {
        describe_failure(started, "clone", clone_error);
        close(channel[0]);
        return -1;
    }

    int failed = 0;
    for (const char *const *procs = config->cgroup_procs; procs && *procs && !failed; procs++) {
        char number[24];
        snprintf(number, sizeof number, "%d", pid);
        if (write_file(*procs, number) < 0) {
            snprintf(started->error, sizeof started->error, "joining cgroup %s: %s", *procs, strerror(errno));
            failed = 1;
        }
    }
    if (!failed) channel_release(channel[0]);

    struct channel_message message;
    int fd;
    while (!failed) {
        int received = channel_receive(channel[0], &message, &fd);
        if (received == 0) break;  // execve closed the child's end: it runs
        if (received < 0) {
            describe_failure(started, "reading from the child", errno);
            failed = 1;
        } else if (message.type == CHANNEL_FAILED) {
            describe_failure(started, message.step, message.error_number);
            failed = 1;
        } else if (message.type == CHANNEL_NEEDS_MAPS) {
            if (write_maps(pid, config) < 0) {
                describe_failure(started, "writing the user namespace maps", errno);
                failed = 1;
            } else {
                channel_release(channel[0]);
            }
        } else if (message.type == CHANNEL_LISTENER) {
            started->seccomp_listener_fd = fd;
        }
    }
    close(channel[0]);
    if (failed) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        if (started->seccomp_listener_fd >= 0) close(started->seccomp_listener_fd);
        started->seccomp_listener_fd = -1;
        return -1;
    }
    started->pid = pid;
    return 0;
}
