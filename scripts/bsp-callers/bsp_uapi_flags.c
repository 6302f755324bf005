// SPDX-License-Identifier: GPL-2.0
/*
 * Code that validates allocation flags with the uapi header's masks, as
 * the BSP's own heap code and its vendor drivers do.
 */
#include <linux/fcntl.h>
#include <linux/module.h>
#include <linux/rk-dma-heap.h>
#include <linux/sizes.h>
#include <uapi/linux/rk-dma-heap.h>

static int flags_ok(const struct rk_dma_heap_allocation_data *data)
{
	if (data->fd_flags & ~RK_DMA_HEAP_VALID_FD_FLAGS)
		return -EINVAL;
	if (data->heap_flags & ~RK_DMA_HEAP_VALID_HEAP_FLAGS)
		return -EINVAL;
	return 0;
}

static int __init flags_init(void)
{
	struct rk_dma_heap_allocation_data data = {
		.len = SZ_4K, .fd_flags = O_RDWR | O_CLOEXEC,
	};

	BUILD_BUG_ON(_IOC_NR(RK_DMA_HEAP_IOCTL_ALLOC) != 0);
	return flags_ok(&data);
}
module_init(flags_init);
MODULE_LICENSE("GPL");
