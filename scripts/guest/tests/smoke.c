// SPDX-License-Identifier: GPL-2.0
/*
 * Harness smoke test, run in every guest whatever the series holds: a
 * system-heap dma-buf can be allocated, mapped, named, and shows in
 * /proc/self/fdinfo. Prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

static int failed, n;

static void result(int ok, const char *what)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, what);
	if (!ok)
		failed++;
}

static int fdinfo_has(int fd, const char *needle)
{
	char path[64], buf[4096];
	ssize_t len;
	int f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = open(path, O_RDONLY);
	if (f < 0)
		return 0;
	len = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (len <= 0)
		return 0;
	buf[len] = '\0';
	return strstr(buf, needle) != NULL;
}

int main(void)
{
	struct dma_heap_allocation_data data = {
		.len = 1 << 20,
		.fd_flags = O_RDWR | O_CLOEXEC,
	};
	int heap, ret;
	char *p;

	printf("TAP version 13\n1..5\n");
	heap = open("/dev/dma_heap/system", O_RDONLY | O_CLOEXEC);
	result(heap >= 0, "open /dev/dma_heap/system");
	if (heap < 0)
		return 1;
	ret = ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &data);
	result(ret == 0, "allocate 1 MiB");
	if (ret)
		return 1;
	p = mmap(NULL, data.len, PROT_READ | PROT_WRITE, MAP_SHARED, data.fd, 0);
	result(p != MAP_FAILED && (memset(p, 0x5a, data.len), p[data.len - 1] == 0x5a),
	       "mmap and write the buffer");
	if (p != MAP_FAILED)
		munmap(p, data.len);
	result(fdinfo_has(data.fd, "size:\t1048576"), "fdinfo shows the size");
	ret = ioctl(data.fd, DMA_BUF_SET_NAME, "smoke-test");
	result(ret == 0 && fdinfo_has(data.fd, "name:\tsmoke-test"),
	       "DMA_BUF_SET_NAME shows in fdinfo");
	close(data.fd);
	close(heap);
	return failed ? 1 : 0;
}
