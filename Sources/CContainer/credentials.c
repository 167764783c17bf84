#define _GNU_SOURCE
#include "credentials.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL(what) do { *step = (what); return -1; } while (0)

int credentials_apply(const struct palisade_container_config *config, const char **step) {
    for (int capability = 0; capability <= config->last_capability; capability++) {
        if (config->capabilities & (1ULL << capability)) continue;
        if (prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) < 0 && errno != EINVAL) FAIL("dropping capabilities");
    }
    // Keep the permitted set across the change of user; it is cut to size just below.
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) FAIL("keeping capabilities");
    // Raw system calls: glibc's wrappers would try to change every thread of the parent
    // (whose threads this child does not have) and wait for them forever.
    if (syscall(SYS_setgroups, config->group_count, config->groups) < 0) FAIL("setting supplementary groups");
    if (syscall(SYS_setresgid, config->gid, config->gid, config->gid) < 0) FAIL("setting the group");
    if (syscall(SYS_setresuid, config->uid, config->uid, config->uid) < 0) FAIL("setting the user");

    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[2] = {0};
    for (int word = 0; word < 2; word++) {
        __u32 bits = (__u32)(config->capabilities >> (32 * word));
        data[word].effective = bits;
        data[word].permitted = bits;
    }
    if (syscall(SYS_capset, &header, data) < 0) FAIL("setting capabilities");
    // execve gives a non-root user none of these (no ambient set), as in Kubernetes.
    return 0;
}
