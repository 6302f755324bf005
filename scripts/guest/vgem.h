/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest programs' way to vgem, the guest's DMA importer (DRM PRIME):
 * its card, found by driver name among /dev/dri/card*.
 */
#ifndef DMABUF_GUEST_VGEM_H
#define DMABUF_GUEST_VGEM_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <drm/drm.h>

/* A DRM card of vgem (close-on-exec), or -1. */
static inline int open_vgem(void)
{
	char path[32], name[8];
	int i, fd;

	for (i = 0; i < 8; i++) {
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "vgem"))
			return fd;
		close(fd);
	}
	return -1;
}

#endif
