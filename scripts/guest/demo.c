// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's workload, run as the guest's only program: the leak hunt of
 * Rockchip's DMABUF guide, played with buffers from the system dma-heap.
 *
 * A "launcher" holds a few buffers (the home screen). A "videoplayer"
 * allocates frame buffers, plays, stops, and leaks two of them to a
 * "mediaserver" process that keeps running. /proc/rk_dmabuf shows the
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
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

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
	int sv[2], fds[8], i, launcher[3];
	pid_t player, server;
	char c;

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

	/* The media server keeps whatever fds it is handed. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	server = fork();
	if (server == 0) {
		prctl(PR_SET_NAME, "mediaserver");
		close(sv[1]);
		while (read(sv[0], &c, 1) == 1)
			;
		pause();
		_exit(0);
	}

	say("2. Play a video: the videoplayer allocates 8 frame buffers");
	player = fork();
	if (player == 0) {
		prctl(PR_SET_NAME, "videoplayer");
		for (i = 0; i < 8; i++)
			fds[i] = alloc_named(1536 * 1024 + i * 4096, NULL);
		show("/proc/rk_dmabuf/size", NULL);
		/* Stop: frames 0-5 are freed, 6 and 7 go to the media server. */
		for (i = 0; i < 6; i++)
			close(fds[i]);
		{
			struct msghdr msg = { 0 };
			char cbuf[CMSG_SPACE(2 * sizeof(int))];
			struct iovec iov = { .iov_base = "x", .iov_len = 1 };
			struct cmsghdr *cm;

			msg.msg_iov = &iov;
			msg.msg_iovlen = 1;
			msg.msg_control = cbuf;
			msg.msg_controllen = sizeof(cbuf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(2 * sizeof(int));
			memcpy(CMSG_DATA(cm), &fds[6], 2 * sizeof(int));
			sendmsg(sv[1], &msg, 0);
		}
		_exit(0);
	}
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

	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	for (i = 0; i < 3; i++)
		close(launcher[i]);
	say("6. The media server is gone and the launcher freed its buffers");
	show("/proc/rk_dmabuf/size", NULL);
	return 0;
}
