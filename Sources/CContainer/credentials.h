#ifndef PALISADE_CREDENTIALS_H
#define PALISADE_CREDENTIALS_H

#include "palisade_container.h"

/// Drops every capability outside `config->capabilities` from the bounding set, takes the
/// user, group and supplementary groups, and leaves exactly those capabilities permitted
/// and effective. Returns 0, or -1 with errno set and `step` naming what failed.
int credentials_apply(const struct palisade_container_config *config, const char **step);

#endif
