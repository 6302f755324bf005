// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's workload, run as the guest's only program: the leak hunt of
 * Rockchip's DMABUF guide, played with buffers from the system dma-heap.
 *
 * A "launcher" holds a few buffers (the home screen). A "videoplayer"
 * allocates frame buffers, plays, stops, and leaks two of them through a
 * "mediaserver" helper it forked, which keeps running. /proc/rk_dmabuf shows the
 * size before, during and after, the peak the playback needed, and dev
 * names the process whose buffers were left behind.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>
#include <linux/rk-dma-heap.h>

static int heap;

static void show(const char *path, const char *filter)
{
	char line[512];
	FILE *f = fopen(path, "r");

	printf("$ cat %s%s%s\n", path, filter ? " | grep " : "", filter ? filter : "");
	if (!f) {
		printf("(cannot open %s)\n", path);
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (!filter || strstr(line, filter))
			fputs(line, stdout);
	fclose(f);
	fflush(stdout);
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

static void say(const char *s)
{
	printf("\n### %s\n", s);
	fflush(stdout);
}

int main(void)
{
	int pp[2], fds[8], i, launcher[3];
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

	say("2. Play a video: the videoplayer allocates 8 frame buffers");
	if (pipe(pp))
		return 1;
	player = fork();
	if (player == 0) {
		prctl(PR_SET_NAME, "videoplayer");
		for (i = 0; i < 8; i++)
			fds[i] = alloc_named(1536 * 1024 + i * 4096, NULL);
		show("/proc/rk_dmabuf/size", NULL);
		/*
		 * Stop. The bug: a helper forked to hand the last two frames
		 * to the media server keeps them, and lives on.
		 */
		server = fork();
		if (server == 0) {
			prctl(PR_SET_NAME, "mediaserver");
			for (i = 0; i < 6; i++)
				close(fds[i]);
			server = getpid();
			if (write(pp[1], &server, sizeof(server)) != sizeof(server))
				perror("pipe");
			for (;;)
				pause();
		}
		for (i = 0; i < 8; i++)
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

	say("4. Who holds the difference? dev names every buffer <pid>-<comm> of its allocator");
	show("/proc/rk_dmabuf/dev", NULL);
	printf("(the blocks named <pid>-videoplayer are the frames the player leaked)\n");

	say("5. Where do they lie? sgt shows each buffer's layout (root only)");
	show("/proc/rk_dmabuf/sgt", NULL);

	say("6. RK-DMA-HEAP: a camera buffer from rk-dma-heap-cma, in the heap's debug list");
	{
		struct rk_dma_heap_allocation_data d = { .len = 600 * 1024, .fd_flags = O_RDWR };
		int rk = open("/dev/rk_dma_heap/rk-dma-heap-cma", O_RDONLY);

		if (rk < 0 || ioctl(rk, RK_DMA_HEAP_IOCTL_ALLOC, &d) < 0) {
			perror("/dev/rk_dma_heap/rk-dma-heap-cma");
		} else {
			show("/proc/rk_dma_heap/rk-dma-heap-info", NULL);
			close(d.fd);
		}
		if (rk >= 0)
			close(rk);
	}

	if (server > 0)
		kill(server, SIGKILL);
	sleep(1);	/* the orphan is reaped by init */
	for (i = 0; i < 3; i++)
		close(launcher[i]);
	say("7. The media server is gone and the launcher freed its buffers");
	show("/proc/rk_dmabuf/size", NULL);
	return 0;
}
