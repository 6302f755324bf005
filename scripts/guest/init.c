// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the test guests' initramfs.
 *
 * Mounts the pseudo file systems, runs every program in /tests in name
 * order (each with a time limit), brackets each run with marker lines the
 * harness parses, and powers the machine off. The kernel command line may
 * carry "dmabuf.run=NAME" to run only /tests/NAME (used by the demo).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define TEST_DIR "/tests"
#define TEST_TIMEOUT_S 1800

static void do_mount(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) && errno != EBUSY)
		printf("dmabuf-guest: mount %s on %s: %s\n", type, dst,
		       strerror(errno));
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_one(const char *name)
{
	char path[512];
	pid_t pid;
	int status;

	snprintf(path, sizeof(path), "%s/%s", TEST_DIR, name);
	printf("dmabuf-guest: run %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[] = { path, NULL };
		char *envp[16] = { "PATH=/tests:/bin", "HOME=/" };
		int i, e = 2;

		/* Knobs of the tests from the kernel command line (soak runs). */
		for (i = 0; environ[i] && e < 15; i++)
			if (!strncmp(environ[i], "DMABUF_", 7))
				envp[e++] = environ[i];
		envp[e] = NULL;

		alarm(TEST_TIMEOUT_S);
		execve(path, argv, envp);
		printf("dmabuf-guest: exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status))
		printf("dmabuf-guest: exit %s %d\n", name, WEXITSTATUS(status));
	else
		printf("dmabuf-guest: exit %s signal-%d\n", name,
		       WTERMSIG(status));
	fflush(stdout);
	return 0;
}

static const char *only_test(char *buf, size_t len)
{
	int fd = open("/proc/cmdline", O_RDONLY);
	ssize_t n;
	char *p, *e;

	if (fd < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	p = strstr(buf, "dmabuf.run=");
	if (!p)
		return NULL;
	p += strlen("dmabuf.run=");
	e = p + strcspn(p, " \n");
	*e = '\0';
	return p;
}

/*
 * On a kernel with kmemleak, scan once the tests are done and print what it
 * found: its "unreferenced object" reports fail the run.
 */
static void kmemleak_report(void)
{
	const char *path = "/sys/kernel/debug/kmemleak";
	char buf[4096];
	ssize_t n;
	int fd;

	fd = open(path, O_RDWR);
	if (fd < 0)
		return;
	/* Twice: objects freed in the meantime are not reported then. */
	if (write(fd, "scan", 4) != 4 || write(fd, "scan", 4) != 4)
		printf("dmabuf-guest: kmemleak scan: %s\n", strerror(errno));
	close(fd);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	printf("dmabuf-guest: kmemleak scanned\n");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	fflush(stdout);
}

int main(void)
{
	char cmdline[4096];
	const char *only;
	struct dirent *de;
	char *names[256];
	int n = 0, i;
	DIR *d;

	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("debugfs", "/sys/kernel/debug", "debugfs");
	do_mount("tmpfs", "/tmp", "tmpfs");
	setvbuf(stdout, NULL, _IOLBF, 0);

	only = only_test(cmdline, sizeof(cmdline));
	d = opendir(TEST_DIR);
	while (d && (de = readdir(d)) && n < 256) {
		if (de->d_name[0] == '.')
			continue;
		if (only && strcmp(only, de->d_name))
			continue;
		names[n++] = strdup(de->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);

	printf("dmabuf-guest: start %d\n", n);
	for (i = 0; i < n; i++)
		run_one(names[i]);
	kmemleak_report();
	printf("dmabuf-guest: done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
