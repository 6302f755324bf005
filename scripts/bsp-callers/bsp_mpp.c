// SPDX-License-Identifier: GPL-2.0
/*
 * An MPP-style allocator: buffers from the heap as file descriptors for
 * user space and as dma-bufs for the kernel, mapped into the kernel and
 * named after their use.
 */
#include <linux/dma-buf.h>
#include <linux/module.h>
#include <linux/rk-dma-heap.h>
#include <linux/sizes.h>

static int mpp_alloc_fd(struct rk_dma_heap *heap, size_t size)
{
	return rk_dma_heap_bufferfd_alloc(heap, size, O_RDWR | O_CLOEXEC, 0, "mpp");
}

static int mpp_frame(struct rk_dma_heap *heap, size_t size)
{
	struct dma_buf *dmabuf;
	void *va;
	long ret;

	dmabuf = rk_dma_heap_buffer_alloc(heap, size, O_RDWR, 0, NULL);
	if (IS_ERR_OR_NULL(dmabuf))
		return -ENOMEM;
	ret = dma_buf_set_name(dmabuf, "mpp-frame");
	va = dma_buf_vmap(dmabuf);
	if (va) {
		memset(va, 0, size);
		dma_buf_vunmap(dmabuf, va);
	}
	rk_dma_heap_buffer_free(dmabuf);
	return ret;
}

static int __init mpp_init(void)
{
	struct rk_dma_heap *heap = rk_dma_heap_find("rk-dma-heap-cma");
	int fd, ret;

	if (!heap)
		return -ENODEV;
	fd = mpp_alloc_fd(heap, SZ_4K);
	ret = fd < 0 ? fd : mpp_frame(heap, SZ_64K);
	pr_info("%s: fd %d, frame %d, heap %s\n", __func__, fd, ret,
		rk_dma_heap_get_name(heap));
	rk_dma_heap_put(heap);
	return 0;
}
module_init(mpp_init);
MODULE_LICENSE("GPL");
