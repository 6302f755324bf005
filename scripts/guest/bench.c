// SPDX-License-Identifier: GPL-2.0
/*
 * Guest benchmark for scripts/bench. Under QEMU with -icount shift=0 the
 * guest clock counts instructions (1 ns each), so every figure here is
 * exact and the same on every run of the same kernel.
 *
 *   alloc_free_ns    4 KiB system-heap allocation + close, per pair: the
 *                    mean of PHASES runs of PAIRS pairs each, after a warm-up
 *                    of PAIRS pairs; alloc_free_ns_min and _max are the
 *                    fastest and slowest phase
 *   size_read_ns     open+read+close of /proc/rk_dmabuf/size, at 10 and at
 *                    10000 live buffers
 *   dev_dump_ns      a whole dump of /proc/rk_dmabuf/dev in reads of 4 KiB,
 *                    per buffer listed, at 1000 and at 10000 live buffers,
 *                    and at 10000 in reads of 128 KiB (as cat reads):
 *                    seq_file calls start() again for every read(), so a
 *                    start() that walks the list shows here as a
 *                    per-buffer cost that grows with the number of buffers
 *   worst_ns         the slowest alloc+free of a loop, alone and while
 *                    another process dumps /proc/rk_dmabuf/sgt
 *
 * Why phases: the file, dentry and inode of each buffer are freed through
 * RCU, in batches at timer ticks, so how much of that work, and of the slab
 * refills it causes, falls on each pair depends on where the ticks land.
 * A few instructions more or less per pair move the ticks and can shift
 * the mean of one run by 1 to 2 % for hundreds of thousands of pairs, up or
 * down. Each phase starts after a different number of getppid() calls,
 * which moves the ticks, and the mean over the phases gives the cost that
 * does not depend on the accident of one alignment. The first few thousand
 * pairs after boot are slower still (caches filling), hence the warm-up.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/dma-heap.h>

#include "vgem.h"

#define PAIRS	100000
#define PHASES	8
#define MANY	10000

static int heap;

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int alloc4k(void)
{
	struct dma_heap_allocation_data d = { .len = 4096, .fd_flags = O_RDWR };

	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) < 0) {
		perror("alloc");
		exit(1);
	}
	return d.fd;
}

/* Average and worst alloc+free over @n pairs. */
static void pairs(int n, long long *avg, long long *worst)
{
	long long t0 = now(), t, w = 0;
	int i;

	for (i = 0; i < n; i++) {
		t = now();
		close(alloc4k());
		t = now() - t;
		if (t > w)
			w = t;
	}
	*avg = (now() - t0) / n;
	*worst = w;
}

/*
 * ns per import and close of one 4 KiB buffer by vgem: PRIME attaches the
 * buffer to vgem's device and maps it (dma_buf_map_attachment()), closing
 * the handle unmaps and detaches it. The mean of IMPORT_PHASES phases of
 * IMPORTS each; -1 without vgem.
 */
#define IMPORTS		20000
#define IMPORT_PHASES	4

static long long import_close(void)
{
	int card = open_vgem(), fd = alloc4k(), i, p;
	long long sum = 0, t0;

	if (card < 0)
		return -1;
	for (p = 0; p < IMPORT_PHASES; p++) {
		for (i = 0; i < p * 1237; i++)
			getppid();
		t0 = now();
		for (i = 0; i < IMPORTS; i++) {
			struct drm_prime_handle prime = { .fd = fd };
			struct drm_gem_close gclose = { 0 };

			if (ioctl(card, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime)) {
				perror("vgem import");
				return -1;
			}
			gclose.handle = prime.handle;
			ioctl(card, DRM_IOCTL_GEM_CLOSE, &gclose);
		}
		sum += (now() - t0) / IMPORTS;
	}
	close(fd);
	close(card);
	return (sum + IMPORT_PHASES / 2) / IMPORT_PHASES;
}

static long long size_read(void)
{
	char buf[64];
	long long t0 = now();
	int i, fd;

	for (i = 0; i < 200; i++) {
		fd = open("/proc/rk_dmabuf/size", O_RDONLY);
		if (fd < 0)
			return -1;
		if (read(fd, buf, sizeof(buf)) <= 0)
			return -1;
		close(fd);
	}
	return (now() - t0) / 200;
}

/* ns per buffer of one dump of dev in reads of @chunk bytes, or -1. */
static long long dev_dump(int buffers, size_t chunk)
{
	static char buf[128 << 10];
	long long t0 = now();
	int fd = open("/proc/rk_dmabuf/dev", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, chunk)) > 0)
		;
	close(fd);
	return n < 0 ? -1 : (now() - t0) / buffers;
}

static void dump_sgt_forever(void)
{
	static char buf[1 << 16];
	int fd;

	for (;;) {
		fd = open("/proc/rk_dmabuf/sgt", O_RDONLY);
		if (fd < 0)
			_exit(0);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}

int main(void)
{
	struct rlimit rl = { MANY + 100, MANY + 100 };
	long long avg, worst, worst_dump, r10, r10k, d1k, d10k, d10k_big, sum = 0, lo = 0, hi = 0;
	static int fds[MANY];
	pid_t dumper;
	int i, j;

	heap = open("/dev/dma_heap/system", O_RDONLY);
	if (heap < 0 || setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("setup");
		return 1;
	}
	pairs(PAIRS, &avg, &worst);		/* warm up */
	for (i = 0; i < PHASES; i++) {
		for (j = 0; j < i * 1237; j++)
			getppid();
		pairs(PAIRS, &avg, &worst);
		printf("phase %d: %lld ns per alloc+free\n", i, avg);
		sum += avg;
		lo = i && lo < avg ? lo : avg;
		hi = i && hi > avg ? hi : avg;
	}
	printf("bench: alloc_free_ns %lld\n", (sum + PHASES / 2) / PHASES);
	printf("bench: alloc_free_ns_min %lld\n", lo);
	printf("bench: alloc_free_ns_max %lld\n", hi);
	printf("bench: import_close_ns %lld\n", import_close());

	if (access("/proc/rk_dmabuf/size", R_OK))
		return 0;
	/* Let the deferred frees of the loops above finish first. */
	usleep(200000);
	for (i = 0; i < 10; i++)
		fds[i] = alloc4k();
	r10 = size_read();
	for (; i < MANY / 10; i++)
		fds[i] = alloc4k();
	d1k = dev_dump(MANY / 10, 4096);
	for (; i < MANY; i++)
		fds[i] = alloc4k();
	usleep(200000);
	r10k = size_read();
	d10k = dev_dump(MANY, 4096);
	d10k_big = dev_dump(MANY, 128 << 10);
	printf("bench: size_read_ns_10 %lld\n", r10);
	printf("bench: size_read_ns_10000 %lld\n", r10k);
	printf("bench: dev_dump_ns_per_buffer_1000 %lld\n", d1k);
	printf("bench: dev_dump_ns_per_buffer_10000 %lld\n", d10k);
	printf("bench: dev_dump_ns_per_buffer_10000_128k %lld\n", d10k_big);

	pairs(1000, &avg, &worst);
	dumper = fork();
	if (dumper == 0)
		dump_sgt_forever();
	pairs(1000, &avg, &worst_dump);
	kill(dumper, SIGKILL);
	waitpid(dumper, NULL, 0);
	printf("bench: worst_alloc_free_ns_alone %lld\n", worst);
	printf("bench: worst_alloc_free_ns_during_sgt_dump %lld\n", worst_dump);
	for (i = 0; i < MANY; i++)
		close(fds[i]);
	return 0;
}
