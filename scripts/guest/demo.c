// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's workload, run as the guest's only program: the leak hunt of
 * Rockchip's DMABUF guide, played with buffers from the system dma-heap
 * and from rk-dma-heap-cma.
 *
 * A "launcher" holds a few buffers (the home screen), and the state is
 * saved with dmabuf-report snapshot. A "videoplayer" allocates frame
 * buffers from the system heap and decoder buffers from the RK CMA heap,
 * plays, stops, and leaks three of them through a "mediaserver" helper it
 * forked, which keeps running. /proc/rk_dmabuf shows the size before,
 * during and after and the peak the playback needed; dmabuf-report diff
 * names the process and the buffers that hold the difference.
 *
 * The media server also hands its decoder buffer to a device: vgem, the
 * guest's only DMA importer, stands in for the VPU (DRM PRIME import maps
 * the buffer on vgem's device). A fault at an address inside that mapping
 * is written to the kernel log as an IOMMU driver would report it, and
 * dmabuf-report lookup names the buffer, the offset and the holder.
 *
 * The playback is recorded with the dma-buf trace events (if the kernel
 * has them); the capture goes to the console as lines "TRACE: ...", from
 * which scripts/demo makes a Chrome JSON trace on the host.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/rk-dma-heap.h>

#include "vgem.h"

static int heap;

/*
 * cat @path: all of it, or with @filter the lines that contain it, or with
 * @filter and @blocks the blocks of a dev or sgt listing (a header line and
 * the indented lines after it) whose header contains it, and the total.
 */
static void show_as(const char *path, const char *filter, int blocks)
{
	char line[512];
	FILE *f = fopen(path, "r");
	int in = 0;

	if (!filter)
		printf("$ cat %s\n", path);
	else if (blocks)
		printf("$ cat %s  (only the blocks of %s, and the total)\n", path, filter);
	else
		printf("$ cat %s | grep %s\n", path, filter);
	if (!f) {
		printf("(cannot open %s)\n", path);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (filter && blocks && line[0] != '\t')
			in = strstr(line, filter) || !strncmp(line, "Total:", 6);
		if (!filter || (blocks ? in : strstr(line, filter) != NULL))
			fputs(line, stdout);
	}
	fclose(f);
	fflush(stdout);
}

static void show(const char *path, const char *filter)
{
	show_as(path, filter, 0);
}

#define TOOL	"/bin/dmabuf-report"
#define SNAP	"/home.snap"

/* Run dmabuf-report with @a1 and @a2 (may be NULL), output to the console. */
static void report(const char *a1, const char *a2)
{
	char *argv[] = { "dmabuf-report", (char *)a1, (char *)a2, NULL };
	pid_t pid;

	printf("$ dmabuf-report %s%s%s\n", a1, a2 ? " " : "", a2 ? a2 : "");
	fflush(stdout);
	if (access(TOOL, X_OK)) {
		printf("(no %s in this initramfs)\n", TOOL);
		return;
	}
	pid = fork();
	if (pid == 0) {
		execv(TOOL, argv);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	fflush(stdout);
}

/* A buffer of @len from rk-dma-heap-cma, or -1. */
static int alloc_cma(size_t len)
{
	struct rk_dma_heap_allocation_data d = { .len = len, .fd_flags = O_RDWR };
	int rk = open("/dev/rk_dma_heap/rk-dma-heap-cma", O_RDONLY);
	int ret = -1;

	if (rk >= 0 && ioctl(rk, RK_DMA_HEAP_IOCTL_ALLOC, &d) == 0)
		ret = d.fd;
	else
		perror("/dev/rk_dma_heap/rk-dma-heap-cma");
	if (rk >= 0)
		close(rk);
	return ret;
}

static int alloc_named(size_t len, const char *name)
{
	struct dma_heap_allocation_data d = { .len = len, .fd_flags = O_RDWR };

	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) < 0) {
		perror("DMA_HEAP_IOCTL_ALLOC");
		exit(1);
	}
	if (name)
		ioctl(d.fd, DMA_BUF_SET_NAME, name);
	return d.fd;
}

/*
 * Import dma-buf @fd into vgem, the stand-in for a VPU: PRIME maps it on
 * vgem's device. Returns the DRM fd that holds the import, or -1.
 */
static int import_into_vgem(int fd)
{
	struct drm_prime_handle prime = { .fd = fd };
	int card = open_vgem();

	if (card >= 0 && !ioctl(card, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime))
		return card;
	if (card >= 0)
		close(card);
	printf("(no vgem to import the decoder buffer)\n");
	return -1;
}

/*
 * The DMA address at which vgem sees the buffer named @name, from sgt:
 * the first segment of vgem's mapping in the buffer's block, or 0.
 */
static unsigned long long vgem_address(const char *name)
{
	unsigned long long dma = 0;
	char line[512];
	FILE *f = fopen("/proc/rk_dmabuf/sgt", "r");
	int in = 0;

	while (f && !dma && fgets(line, sizeof(line), f)) {
		if (line[0] != '\t')
			in = strstr(line, name) != NULL;
		else if (in)
			sscanf(line, "\tsegment vgem 0 dma %llx", &dma);
	}
	if (f)
		fclose(f);
	return dma;
}

/* Write @msg to the kernel log, as a driver would print it. */
static void kmsg(const char *msg)
{
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0 || write(fd, msg, strlen(msg)) < 0)
		perror("/dev/kmsg");
	if (fd >= 0)
		close(fd);
	usleep(100000);	/* let the console print it before what follows */
}

#define TRACEFS	"/sys/kernel/tracing"

/* Write @val to the tracefs file @rel; 0 on success. */
static int tracefs(const char *rel, const char *val)
{
	char path[128];
	int fd, ret;

	snprintf(path, sizeof(path), TRACEFS "/%s", rel);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) < 0;
	close(fd);
	return ret;
}

/* Start recording the dma-buf events; 0 if the kernel has them. */
static int trace_start(void)
{
	if (access(TRACEFS "/events", F_OK))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (access(TRACEFS "/events/dmabuf_heap", F_OK))
		return -1;
	tracefs("trace", "");
	tracefs("buffer_size_kb", "1024");
	return tracefs("events/dma_buf/enable", "1") ||
	       tracefs("events/dmabuf_heap/enable", "1");
}

/* Stop, and copy the capture to the console as "TRACE: " lines. */
static void trace_stop(void)
{
	char line[512];
	FILE *f;
	int n = 0;

	tracefs("events/dma_buf/enable", "0");
	tracefs("events/dmabuf_heap/enable", "0");
	f = fopen(TRACEFS "/trace", "r");
	while (f && fgets(line, sizeof(line), f)) {
		printf("TRACE: %s", line);
		n += line[0] != '#';
	}
	if (f)
		fclose(f);
	printf("(the playback's %d trace events go to the host as a JSON trace)\n", n);
	fflush(stdout);
}

static void say(const char *s)
{
	printf("\n### %s\n", s);
	fflush(stdout);
}

int main(void)
{
	int pp[2], fds[10], i, launcher[3], tracing;
	pid_t player, server;

	heap = open("/dev/dma_heap/system", O_RDONLY);
	if (heap < 0) {
		perror("/dev/dma_heap/system");
		return 1;
	}
	prctl(PR_SET_NAME, "launcher");

	say("1. The home screen: the launcher holds its buffers");
	for (i = 0; i < 3; i++)
		launcher[i] = alloc_named(1 << 20, NULL);	/* default names */
	show("/proc/rk_dmabuf/size", NULL);
	printf("$ echo 0 > /proc/rk_dmabuf/peak\n");
	{
		int p = open("/proc/rk_dmabuf/peak", O_WRONLY);

		if (p >= 0) {
			if (write(p, "0\n", 2) != 2)
				perror("reset peak");
			close(p);
		}
	}
	show("/proc/rk_dmabuf/peak", NULL);
	report("snapshot", SNAP);

	say("2. Play a video: the videoplayer allocates 8 frames and 2 decoder buffers");
	tracing = !trace_start();
	if (pipe(pp))
		return 1;
	player = fork();
	if (player == 0) {
		prctl(PR_SET_NAME, "videoplayer");
		for (i = 0; i < 8; i++)
			fds[i] = alloc_named(1536 * 1024 + i * 4096, NULL);
		fds[8] = alloc_cma(1 << 20);
		fds[9] = alloc_cma(1 << 20);
		show("/proc/rk_dmabuf/size", NULL);
		show("/proc/rk_dmabuf/peak", NULL);
		/*
		 * Stop. The bug: a helper forked to hand the last two frames
		 * and a decoder buffer to the media server keeps them, and
		 * lives on.
		 */
		server = fork();
		if (server == 0) {
			prctl(PR_SET_NAME, "mediaserver");
			for (i = 0; i < 6; i++)
				close(fds[i]);
			close(fds[8]);
			/* The decoder buffer goes to the "VPU", which keeps it. */
			ioctl(fds[9], DMA_BUF_SET_NAME, "vpu-ref-frame");
			import_into_vgem(fds[9]);
			server = getpid();
			if (write(pp[1], &server, sizeof(server)) != sizeof(server))
				perror("pipe");
			for (;;)
				pause();
		}
		for (i = 0; i < 10; i++)
			close(fds[i]);
		_exit(0);
	}
	if (read(pp[0], &server, sizeof(server)) != sizeof(server))
		server = -1;
	waitpid(player, NULL, 0);

	say("3. Back on the home screen: has size gone back?");
	show("/proc/rk_dmabuf/size", NULL);
	show("/proc/rk_dmabuf/peak", NULL);
	printf("(size is higher than on the home screen before: a leak; the peak is what playback needed)\n");
	if (tracing)
		trace_stop();

	say("4. Who holds the difference? One command compares with the snapshot");
	report("diff", SNAP);
	printf("(the first line answers: the growth of size and the process holding it)\n");

	say("5. The raw data: dev names every buffer <pid>-<comm> of its allocator");
	show("/proc/rk_dmabuf/dev", NULL);

	say("6. Where do they lie? sgt shows the mappings of each buffer (addresses for root)");
	show_as("/proc/rk_dmabuf/sgt", "videoplayer", 1);

	say("7. A device faults: which buffer is at that address?");
	{
		unsigned long long dma = vgem_address("vpu-ref-frame");
		char msg[160], addr[32];

		show_as("/proc/rk_dmabuf/sgt", "vpu-ref-frame", 1);
		if (dma) {
			/* A write 0x3000 bytes into the mapping, as rockchip-iommu logs it. */
			snprintf(addr, sizeof(addr), "0x%016llx", dma + 0x3000);
			snprintf(msg, sizeof(msg),
				 "<3>rk_iommu fdea0400.iommu: Page fault at %s of type write (demo: vgem stands in for the VPU)\n",
				 addr);
			kmsg(msg);
			report("lookup", addr);
			printf("(the first line answers: the buffer, the offset in it, and who holds it)\n");
		}
	}

	say("8. RK-DMA-HEAP keeps its own list: the decoder buffers in rk-dma-heap-info");
	show("/proc/rk_dma_heap/rk-dma-heap-info", NULL);

	if (server > 0)
		kill(server, SIGKILL);
	sleep(1);	/* the orphan is reaped by init */
	say("9. The media server is gone: back to the home screen's figure");
	show("/proc/rk_dmabuf/size", NULL);
	report("diff", SNAP);
	for (i = 0; i < 3; i++)
		close(launcher[i]);
	return 0;
}
