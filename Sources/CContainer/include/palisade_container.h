#ifndef PALISADE_CONTAINER_H
#define PALISADE_CONTAINER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// The kernel's CLONE_NEW* flags (checked against <sched.h> where the launcher is built),
/// for callers that cannot see them.
enum palisade_namespace_flag {
    PALISADE_NEW_MOUNT = 0x00020000,
    PALISADE_NEW_UTS = 0x04000000,
    PALISADE_NEW_IPC = 0x08000000,
    PALISADE_NEW_PID = 0x20000000,
    PALISADE_NEW_NETWORK = 0x40000000,
};

/// One mount made inside the container's root before pivot_root. A bind mount when
/// `fstype` is NULL (`source` is a host path), else a new filesystem of that type.
struct palisade_mount {
    const char *source;
    /// Absolute inside the container; no component of it may be a symbolic link.
    const char *destination;
    const char *fstype;
    unsigned long flags;
    const char *data;
    int readonly;
};

/// Everything the child needs, prepared by the caller: between clone and execve the child
/// runs only system calls (no allocation, no locks), because the parent is multi-threaded.
struct palisade_container_config {
    const char *rootfs;
    const char *const *argv;          /* NULL-terminated; argv[0] is looked up on PATH */
    const char *const *envp;          /* NULL-terminated */
    const char *cwd;
    const char *hostname;             /* set when clone_flags has CLONE_NEWUTS; may be NULL */

    int clone_flags;                  /* namespaces made new: CLONE_NEWNS, CLONE_NEWPID, ... */
    pid_t enter_pid;                  /* > 0: run inside this running container instead (exec
                                         probes): its namespaces joined, no mounts made */
    int enter_user_namespace;         /* ... and its user namespace too */
    const int *join_fds;              /* namespaces joined first (the pod sandbox's net, ipc, uts) */
    size_t join_count;
    int new_cgroup_namespace;         /* unshare the cgroup namespace once in its cgroups */
    const char *const *cgroup_procs;  /* NULL-terminated cgroup.procs files the child is put in */

    const struct palisade_mount *mounts;
    size_t mount_count;
    int default_devices;              /* make /dev/null, zero, full, random, urandom, tty and links */
    const char *const *masked_paths;  /* NULL-terminated */
    const char *const *readonly_paths;/* NULL-terminated */
    int readonly_rootfs;

    int user_namespace;               /* after the mounts, unshare a user namespace ... */
    const char *uid_map;              /* ... mapped by the parent with these lines */
    const char *gid_map;

    uid_t uid;
    gid_t gid;
    const gid_t *groups;
    size_t group_count;
    uint64_t capabilities;            /* bounding, permitted and effective set */
    int last_capability;              /* /proc/sys/kernel/cap_last_cap */
    int no_new_privs;

    const void *seccomp_program;      /* struct sock_filter[], as libseccomp exports it */
    size_t seccomp_program_length;    /* in bytes */
    int seccomp_listener;             /* install with a listener handed back to the parent */

    int stdio[3];
};

struct palisade_started {
    pid_t pid;
    int seccomp_listener_fd;          /* -1 when none */
    char error[256];                  /* why it did not start, when the call returns -1 */
};

/// Starts a container process: clone, join and make namespaces, mounts, pivot_root, masked
/// and read-only paths, user namespace, credentials, capabilities, no_new_privs, seccomp
/// (last), execve. Returns 0 once execve succeeded (the child is then the caller's to reap),
/// or -1 with `error` saying which step failed and why (the child is then reaped).
int palisade_container_start(const struct palisade_container_config *config, struct palisade_started *started);

/// Starts a pod sandbox: a process holding new network, IPC and UTS namespaces (loopback up,
/// hostname set) for the pod's containers to join. Returns its pid, or -1 with `error`.
pid_t palisade_sandbox_start(const char *hostname, const char *const *cgroup_procs, char *error, size_t error_size);

/// A TCP connection to 127.0.0.1:`port` made inside the network namespace `netns_fd`
/// (for probes). Returns the socket, or -1 with errno set.
int palisade_connect_in_namespace(int netns_fd, int port, int timeout_ms);

/// Waits for one seccomp notification on `listener`: a call the profile denies, held until
/// answered. Returns 0 with its id, system call number and pid, or -1 when the listener is
/// closed (every process under the filter has exited) or failed.
int palisade_seccomp_receive(int listener, uint64_t *id, int *syscall_number, pid_t *pid);

/// Answers notification `id`: the call fails with `error_number`.
int palisade_seccomp_respond(int listener, uint64_t id, int error_number);

#endif
