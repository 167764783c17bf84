#define _GNU_SOURCE
#include "container_fs.h"
#include "child_channel.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FAIL(what) do { *step = (what); return -1; } while (0)

/// Makes `rootfs` + `destination` a place to mount on, creating what is missing (a file
/// when `as_file`). A symbolic link anywhere on the way is refused: the image is not
/// trusted, and a link could send the mount outside the root.
static int make_mount_point(const char *rootfs, const char *destination, int as_file, char *path, const char **step) {
    size_t at = copy_text(path, PATH_MAX, 0, rootfs);
    const char *cursor = destination;
    while (*cursor) {
        while (*cursor == '/') cursor++;
        if (!*cursor) break;
        const char *end = cursor;
        while (*end && *end != '/') end++;
        size_t length = (size_t)(end - cursor);
        if ((length == 1 && cursor[0] == '.') || (length == 2 && cursor[0] == '.' && cursor[1] == '.')) {
            errno = EINVAL;
            FAIL("mount destination has . or .. in");
        }
        if (at + 1 + length + 1 >= PATH_MAX) { errno = ENAMETOOLONG; FAIL("mount destination"); }
        path[at++] = '/';
        memcpy(path + at, cursor, length);
        at += length;
        path[at] = 0;
        int last = *end == 0 || (end[0] == '/' && end[1] == 0);
        struct stat info;
        if (lstat(path, &info) == 0) {
            if (S_ISLNK(info.st_mode)) { errno = ELOOP; FAIL("mount destination is a symbolic link in the image:"); }
        } else if (errno == ENOENT) {
            if (last && as_file) {
                int fd = open(path, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
                if (fd < 0) FAIL("creating mount point");
                close(fd);
            } else if (mkdir(path, 0755) < 0) {
                FAIL("creating mount point");
            }
        } else {
            FAIL("mount destination");
        }
        cursor = end;
    }
    return 0;
}

int fs_prepare_root(const char *rootfs, const char **step) {
    // Nothing mounted here may reach the host's mount namespace, and pivot_root needs the
    // new root to be a mount point.
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) FAIL("making mounts private");
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0) FAIL("binding the root file system");
    // No device node in the image (or made later) can be opened.
    if (mount(NULL, rootfs, NULL, MS_BIND | MS_REMOUNT | MS_NODEV, NULL) < 0) FAIL("making the root file system nodev");
    return 0;
}

int fs_mount(const char *rootfs, const struct palisade_mount *mount_spec, const char **step) {
    char path[PATH_MAX];
    int as_file = 0;
    if (!mount_spec->fstype) {
        struct stat source;
        if (stat(mount_spec->source, &source) < 0) FAIL("volume source");
        as_file = !S_ISDIR(source.st_mode);
    }
    if (make_mount_point(rootfs, mount_spec->destination, as_file, path, step) < 0) return -1;
    if (!mount_spec->fstype) {
        if (mount(mount_spec->source, path, NULL, MS_BIND | MS_REC, NULL) < 0) FAIL("bind mount");
        // A bind mount takes no flags at first; they apply on the remount.
        unsigned long flags = MS_BIND | MS_REMOUNT | mount_spec->flags | (mount_spec->readonly ? MS_RDONLY : 0);
        if ((mount_spec->flags || mount_spec->readonly) && mount(NULL, path, NULL, flags, NULL) < 0) FAIL("remounting bind mount");
        return 0;
    }
    unsigned long flags = mount_spec->flags | (mount_spec->readonly ? MS_RDONLY : 0);
    if (mount(mount_spec->source, path, mount_spec->fstype, flags, mount_spec->data) < 0) FAIL("mounting");
    return 0;
}

/// The devices every container gets. `/dev` is a `nodev` tmpfs, so a device node made there
/// (or anywhere in the root, also `nodev`) cannot be opened, whatever CAP_MKNOD allows:
/// these few are bound from the host's, each its own mount that keeps the host's flags.
static const char *const devices[] = { "null", "zero", "full", "random", "urandom", "tty" };
static const struct { const char *target, *name; } device_links[] = {
    { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
    { "/proc/self/fd/2", "stderr" }, { "pts/ptmx", "ptmx" },
};

int fs_make_devices(const char *rootfs, const char **step) {
    char path[PATH_MAX];
    char host[32];
    for (size_t index = 0; index < sizeof devices / sizeof devices[0]; index++) {
        size_t at = copy_text(path, sizeof path, 0, rootfs);
        at = copy_text(path, sizeof path, at, "/dev/");
        copy_text(path, sizeof path, at, devices[index]);
        at = copy_text(host, sizeof host, 0, "/dev/");
        copy_text(host, sizeof host, at, devices[index]);
        int fd = open(path, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0) FAIL("making /dev entries");
        close(fd);
        if (mount(host, path, NULL, MS_BIND, NULL) < 0) FAIL("binding /dev devices");
    }
    for (size_t index = 0; index < sizeof device_links / sizeof device_links[0]; index++) {
        size_t at = copy_text(path, sizeof path, 0, rootfs);
        at = copy_text(path, sizeof path, at, "/dev/");
        copy_text(path, sizeof path, at, device_links[index].name);
        if (symlink(device_links[index].target, path) < 0 && errno != EEXIST) FAIL("linking /dev entries");
    }
    return 0;
}

int fs_pivot_root(const char *rootfs, const char **step) {
    // pivot_root(".", ".") stacks the old root under the new one; detaching it leaves
    // only the container's root, with no path back to the host's.
    if (chdir(rootfs) < 0) FAIL("entering the root file system");
    if (syscall(SYS_pivot_root, ".", ".") < 0) FAIL("pivot_root");
    if (umount2(".", MNT_DETACH) < 0) FAIL("detaching the old root");
    if (chdir("/") < 0) FAIL("chdir /");
    return 0;
}

int fs_mask(const char *path, const char **step) {
    struct stat info;
    if (lstat(path, &info) < 0) {
        if (errno == ENOENT) return 0;
        FAIL("masked path");
    }
    if (S_ISDIR(info.st_mode)) {
        if (mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=0") < 0) FAIL("masking directory");
    } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
        FAIL("masking file");
    }
    return 0;
}

int fs_make_readonly(const char *path, const char **step) {
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT) return 0;
        FAIL("read-only path");
    }
    if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) FAIL("read-only path");
    return 0;
}

int fs_readonly_root(const char **step) {
    if (mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NODEV, NULL) < 0) FAIL("read-only root file system");
    return 0;
}
