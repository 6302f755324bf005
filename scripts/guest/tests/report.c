// SPDX-License-Identifier: GPL-2.0
/*
 * End-to-end test of tools/dma-buf/dmabuf-report on the running kernel:
 * a process named "e2e-holder" holds buffers by fd and by mapping only,
 * another named "e2e-leaker" allocates after a snapshot, and the tool must
 * attribute them, with totals that match /proc/rk_dmabuf/size; vgem
 * imports a buffer, and lookup must find the buffer and its holder at an
 * address of vgem's mapping, live and in a snapshot. On a kernel with the
 * series' options off (no /proc/rk_dmabuf), the same holders through
 * debugfs bufinfo as root and through fdinfo as nobody. Prints TAP;
 * skips when the initramfs has no /bin/dmabuf-report (series without the
 * tool).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/dma-buf.h>
#include <linux/dma-heap.h>

#include "../vgem.h"

#define TOOL	"/bin/dmabuf-report"
#define SNAP	"/e2e-before.snap"

static int failed, n, heap = -1;
static char out[1 << 20];

static void result(int ok, const char *what)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++n, what);
	if (!ok) {
		failed++;
		printf("# tool output:\n%s\n", out);
	}
}

/* Run the tool as @uid (0: root) with up to 3 arguments; stdout to out[]. */
static int tool3(uid_t uid, const char *a1, const char *a2, const char *a3)
{
	char *argv[] = { TOOL, (char *)a1, (char *)a2, (char *)a3, NULL };
	size_t len = 0;
	int p[2], st;
	ssize_t r;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		if (uid && (setgid(uid) || setuid(uid)))
			_exit(126);
		execv(TOOL, argv);
		_exit(127);
	}
	close(p[1]);
	while (len < sizeof(out) - 1 &&
	       (r = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += r;
	out[len] = '\0';
	close(p[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int tool(uid_t uid, const char *a1, const char *a2)
{
	return tool3(uid, a1, a2, NULL);
}

static long long size_kib(void)
{
	char buf[64];
	long long v = -1;
	int fd = open("/proc/rk_dmabuf/size", O_RDONLY);
	ssize_t len;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len > 0) {
		buf[len] = '\0';
		if (sscanf(buf, "Total: %lld KiB", &v) != 1)
			v = -1;
	}
	return v;
}

static int alloc_buf(size_t len)
{
	struct dma_heap_allocation_data d = { .len = len, .fd_flags = O_RDWR };

	if (ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d) < 0)
		return -1;
	return d.fd;
}

/*
 * A child named @comm that allocates @nbufs buffers of @len; with @maponly
 * it maps the last one and closes its fd. Returns once they exist.
 */
static pid_t holder(const char *comm, int nbufs, size_t len, int maponly)
{
	int p[2], i, fd = -1;
	pid_t pid;
	char c = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, comm);
		for (i = 0; i < nbufs; i++) {
			fd = alloc_buf(len);
			if (fd < 0)
				c = 1;
		}
		if (maponly && fd >= 0) {
			if (mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
				c = 1;
			close(fd);
		}
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1 || c) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/* Is there a row "PID COMM SIZE UNIT BYTES BUFS ..." for @pid in out[]? */
static int holder_row(pid_t pid, const char *comm, unsigned long long bytes,
		      int bufs)
{
	unsigned long long b;
	char c[32], *line;
	int p, k;

	for (line = out; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (sscanf(line, "%d %31s %*f %*s %llu %d", &p, c, &b, &k) == 4 &&
		    p == pid && !strcmp(c, comm))
			return b == bytes && k == bufs;
	}
	return 0;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* vgem's DMA address of the first segment of buffer @ino in sgt, or 0. */
static unsigned long long vgem_dma(unsigned long ino)
{
	unsigned long long dma = 0, i;
	char line[512];
	FILE *f = fopen("/proc/rk_dmabuf/sgt", "r");
	int in = 0;

	while (f && !dma && fgets(line, sizeof(line), f)) {
		if (line[0] != '\t')
			in = sscanf(line, "inode %llu ", &i) == 1 && i == ino;
		else if (in)
			sscanf(line, "\tsegment vgem 0 dma %llx ", &dma);
	}
	if (f)
		fclose(f);
	return dma;
}

/*
 * vgem imports a 64 KiB buffer of this process (PRIME maps it on vgem's
 * device): lookup of an address 0x100 into vgem's mapping names the
 * buffer, the offset and this process; after the import is gone the
 * address is in no importer's mapping (status 3, or only the debug
 * device's layout of the buffer), but a snapshot taken before still
 * answers.
 */
static void lookup_cases(void)
{
	struct dma_heap_allocation_data d = { .len = 64 << 10, .fd_flags = O_RDWR | O_CLOEXEC };
	struct drm_gem_close gclose = { 0 };
	struct drm_prime_handle prime;
	unsigned long long dma = 0;
	int card = open_vgem(), r = -1, r2 = -1, r3 = -1;
	char addr[32], want[160], first[512] = "";
	struct stat st;

	if (card >= 0 && !ioctl(heap, DMA_HEAP_IOCTL_ALLOC, &d)) {
		prime = (struct drm_prime_handle){ .fd = d.fd };
		if (!fstat(d.fd, &st) && !ioctl(card, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime))
			dma = vgem_dma(st.st_ino);
	}
	snprintf(addr, sizeof(addr), "0x%llx", dma + 0x100);
	snprintf(want, sizeof(want), "dma address of vgem, offset 0x100 (256) in buffer inode %lu ",
		 dma ? (unsigned long)st.st_ino : 0UL);
	if (dma) {
		r = tool3(0, "lookup", addr, NULL);
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(out, "\n"), out);
		r2 = tool(0, "snapshot", SNAP);
		gclose.handle = prime.handle;
		ioctl(card, DRM_IOCTL_GEM_CLOSE, &gclose);
	}
	result(dma && r == 0 && strstr(first, want) && strstr(first, " report (fd)"),
	       "lookup: an address in vgem's mapping names the buffer, the offset and the holder");
	/*
	 * The buffer lives on: with CONFIG_DMABUF_DEBUG_ADVANCED sgt shows
	 * its layout through the debug device, where the address (vgem has
	 * no IOMMU) is a physical one of the same buffer; vgem's is gone.
	 */
	r = dma && r2 == 0 ? tool3(0, "lookup", addr, NULL) : -1;
	result(!strstr(out, "of vgem") &&
	       ((r == 3 && strstr(out, ": in no dma-buf mapping")) ||
		(r == 0 && strstr(out, "rk-dmabuf-debug"))),
	       "lookup: once the import is gone, the address is in no importer's mapping");
	r3 = r2 == 0 ? tool3(0, "lookup", addr, SNAP) : -1;
	snprintf(want, sizeof(want), "%.*s", (int)strcspn(out, "\n"), out);
	result(r3 == 0 && first[0] && !strcmp(first, want),
	       "lookup in the snapshot taken during the import gives the same answer");
	if (d.fd > 0)
		close(d.fd);
	if (card >= 0)
		close(card);
	unlink(SNAP);
}

/* The first line of out[] starts with @prefix. */
static int first_line(const char *prefix)
{
	return !strncmp(out, prefix, strlen(prefix));
}

/*
 * A kernel without the series: report, diff and dump from debugfs
 * bufinfo (root), what they say agreeing with what was allocated, and
 * from fdinfo and maps only as nobody, who may not read debugfs.
 */
static int kernel_without_series(void)
{
	pid_t h, l;
	char want[160], *p;
	int r;

	printf("1..6\n");
	h = holder("e2e-holder", 3, 1 << 20, 1);
	r = tool(0, "report", NULL);
	result(h > 0 && r == 0 &&
	       first_line("dma-bufs in /sys/kernel/debug/dma_buf/bufinfo (debugfs bufinfo: "),
	       "no series: report reads debugfs bufinfo and says so on its first line");
	result(holder_row(h, "e2e-holder", 3145728, 3),
	       "no series: the holder's 3 MiB in 3 buffers, one held by a mapping only");

	r = tool(0, "snapshot", SNAP);
	l = holder("e2e-leaker", 2, 2 << 20, 0);
	r = r || l <= 0 ? -1 : tool(0, "diff", SNAP);
	snprintf(want, sizeof(want), "held by pid %d (e2e-leaker)", l);
	result(r == 0 && first_line("grew by 4096 KiB: 2 new buffers (4.0 MiB) ") &&
	       strstr(out, want) && strstr(out, "+4096 KiB, matches the difference of size"),
	       "no series: diff names the leaker's 2 buffers and 4096 KiB");

	r = tool(0, "dump", NULL);
	/* dmabuf_dump pads the pid to 5 columns */
	snprintf(want, sizeof(want), "e2e-holder:%-5d\n", h);
	p = strstr(out, want);
	p = p ? strstr(p, "PROCESS TOTAL") : NULL;
	result(r == 0 && p && strtoull(p + strlen("PROCESS TOTAL"), NULL, 10) == 3072,
	       "no series: dump gives the holder 3072 kB");

	r = tool(65534, "report", NULL);
	result(r == 0 && first_line("dma-bufs in /proc/*/fdinfo (fdinfo and maps only: ") &&
	       strstr(out, "could not see holders in") != NULL,
	       "no series, as nobody: fdinfo and maps, and says what it could not see");
	stop(l);
	stop(h);
	r = tool(0, "diff", SNAP);
	result(r == 0 && first_line("shrank by 3072 KiB: "),
	       "no series: diff once both are gone: the holder's 3 MiB less than the snapshot");
	unlink(SNAP);
	return failed ? 1 : 0;
}

int main(void)
{
	long long before, after, grew;
	char want[160];
	pid_t h, l;
	int r;

	printf("TAP version 13\n");
	if (access(TOOL, X_OK)) {
		printf("1..0 # SKIP no %s\n", TOOL);
		return 0;
	}
	heap = open("/dev/dma_heap/system", O_RDONLY);
	if (access("/proc/rk_dmabuf/dev", F_OK))
		return kernel_without_series();
	printf("1..9\n");

	h = holder("e2e-holder", 3, 1 << 20, 1);
	r = tool(0, "report", NULL);
	result(h > 0 && r == 0 && strstr(out, "total matches") != NULL,
	       "report: exit 0 and the totals of dev match size");
	result(holder_row(h, "e2e-holder", 3145728, 3),
	       "report: the holder's 3 MiB in 3 buffers, one held by a mapping only");

	r = tool(0, "snapshot", SNAP);
	before = size_kib();
	l = holder("e2e-leaker", 2, 2 << 20, 0);
	after = size_kib();
	grew = after - before;
	r = r || l <= 0 ? -1 : tool(0, "diff", SNAP);
	snprintf(want, sizeof(want), "grew by %lld KiB: 2 new buffers (4.0 MiB) named %d-e2e-leaker held by pid %d (e2e-leaker)",
		 grew, l, l);
	result(r == 0 && grew == 4096 && strncmp(out, want, strlen(want)) == 0,
	       "diff: the first line names the leaker, its buffers and the growth of size");
	result(r == 0 && strstr(out, "+4096 KiB, matches the difference of size") != NULL,
	       "diff: new minus gone matches the difference of size");

	r = tool(65534, "report", NULL);
	result(r == 0 && strstr(out, "total matches") != NULL &&
	       strstr(out, "could not see holders in") != NULL,
	       "report as nobody: exit 0, totals still match, says what it could not see");

	stop(l);
	r = tool(0, "diff", SNAP);
	result(r == 0 && strncmp(out, "unchanged at ", 13) == 0,
	       "diff: nothing new once the leaker is gone");
	stop(h);
	unlink(SNAP);
	lookup_cases();
	return failed ? 1 : 0;
}
