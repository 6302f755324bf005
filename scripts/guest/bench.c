// SPDX-License-Identifier: GPL-2.0
/*
 * Guest benchmark for scripts/bench. Under QEMU with -icount shift=0 the
 * guest clock counts instructions (1 ns each), so every figure here is
 * exact and the same on every run of the same kernel.
 *
 *   alloc_free_ns    4 KiB system-heap allocation + close, per pair
 *   size_read_ns     open+read+close of /proc/rk_dmabuf/size, at 10 and at
 *                    10000 live buffers
 *   worst_ns         the slowest alloc+free of a loop, alone and while
 *                    another process dumps /proc/rk_dmabuf/sgt
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

#define PAIRS	5000
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
	long long avg, worst, worst_dump, r10, r10k;
	static int fds[MANY];
	pid_t dumper;
	int i;

	heap = open("/dev/dma_heap/system", O_RDONLY);
	if (heap < 0 || setrlimit(RLIMIT_NOFILE, &rl)) {
		perror("setup");
		return 1;
	}
	pairs(500, &avg, &worst);		/* warm up */
	pairs(PAIRS, &avg, &worst);
	printf("bench: alloc_free_ns %lld\n", avg);

	if (access("/proc/rk_dmabuf/size", R_OK))
		return 0;
	for (i = 0; i < 10; i++)
		fds[i] = alloc4k();
	r10 = size_read();
	for (; i < MANY; i++)
		fds[i] = alloc4k();
	r10k = size_read();
	printf("bench: size_read_ns_10 %lld\n", r10);
	printf("bench: size_read_ns_10000 %lld\n", r10k);

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
