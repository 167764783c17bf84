#ifndef PALISADE_CONTAINER_FS_H
#define PALISADE_CONTAINER_FS_H

// The container's file system, set up in the child: mounts under the new root, devices,
// pivot_root, masked and read-only paths. Each function returns 0, or -1 with errno set
// and `step` naming what failed.

#include "palisade_container.h"

int fs_prepare_root(const char *rootfs, const char **step);
int fs_mount(const char *rootfs, const struct palisade_mount *mount, const char **step);
int fs_make_devices(const char *rootfs, const char **step);
int fs_pivot_root(const char *rootfs, const char **step);
int fs_mask(const char *path, const char **step);
int fs_make_readonly(const char *path, const char **step);
int fs_readonly_root(const char **step);

#endif
