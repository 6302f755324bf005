# shellcheck shell=bash
# Common settings for the harness scripts. Source it, do not run it.
#
# Environment a user may set:
#   KERNEL_SRC   an existing 5.10 tree (git or not) to use as the base instead
#                of Debian's linux-source-5.10; it is never modified: the
#                series is applied in a worktree/copy of it under the cache.
#   DMABUF_CACHE where trees, build output and logs go
#                (default: ~/.cache/dmabuf-series)
#   JOBS         parallel make jobs (default: number of CPUs)

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DMABUF_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmabuf-series}
JOBS=${JOBS:-$(nproc)}
BASE_TAG=dmabuf-series-base
BASE_REPO=$CACHE/base          # git repo of the base tree, base tagged
WORK_TREE=$CACHE/work          # developer patch queue (branch "queue")
CHECK_TREE=$CACHE/check        # throw-away tree the checks apply into
OUT=$CACHE/out                 # build output directories (O=)
LOGS=$CACHE/logs

# Fixed identity for commits the scripts make (base import, git am);
# authorship of the patches themselves comes from the patch files.
export GIT_COMMITTER_NAME="dmabuf-series harness"
export GIT_COMMITTER_EMAIL="harness@localhost"
export GIT_AUTHOR_NAME="$GIT_COMMITTER_NAME"
export GIT_AUTHOR_EMAIL="$GIT_COMMITTER_EMAIL"

mkdir -p "$CACHE" "$OUT" "$LOGS"

if command -v ccache >/dev/null 2>&1; then
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
	export CCACHE_COMPILERCHECK=content
	# Identical sources in different trees share cache entries.
	export CCACHE_BASEDIR=$CACHE
	export CCACHE_NOHASHDIR=1
	export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
fi

msg() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Cross compiler prefix for an architecture.
cross_of() {
	case $1 in
	arm64) echo aarch64-linux-gnu- ;;
	arm) echo arm-linux-gnueabihf- ;;
	um) echo "" ;;
	*) die "unknown arch $1" ;;
	esac
}

# make in a kernel tree with ccache and the right cross compiler.
# kmake TREE ARCH OUTDIR args...
kmake() {
	local tree=$1 arch=$2 out=$3
	shift 3
	local cross cc
	cross=$(cross_of "$arch")
	cc="${cross}gcc"
	command -v ccache >/dev/null 2>&1 && cc="ccache $cc"
	make -C "$tree" O="$out" ARCH="$arch" ${cross:+CROSS_COMPILE=$cross} \
		CC="$cc" HOSTCC="gcc" -j"$JOBS" KBUILD_BUILD_TIMESTAMP=@0 \
		KBUILD_BUILD_USER=dmabuf KBUILD_BUILD_HOST=series "$@"
}

# The patch files in series order (absolute paths).
series_patches() {
	local p
	[ -f "$TOP/series" ] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]*$//' "$TOP/series" | while read -r p; do
		[ -n "$p" ] || continue
		[ -f "$TOP/patches/$p" ] || die "series names patches/$p, which does not exist"
		echo "$TOP/patches/$p"
	done
}
