// SPDX-License-Identifier: GPL-2.0
/*
 * A videobuf2-style contiguous allocator as the BSP's camera drivers use:
 * page runs from the CMA heap for internal buffers, freed with the same
 * length and name.
 */
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/rk-dma-heap.h>
#include <linux/sizes.h>
#include <linux/slab.h>

struct contig_buf {
	struct rk_dma_heap *heap;
	struct page *pages;
	size_t size;
	phys_addr_t phys;
};

static struct contig_buf *contig_alloc(size_t size)
{
	struct contig_buf *buf = kzalloc(sizeof(*buf), GFP_KERNEL);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->heap = rk_dma_heap_find("rk-dma-heap-cma");
	if (!buf->heap) {
		kfree(buf);
		return ERR_PTR(-ENODEV);
	}
	buf->size = PAGE_ALIGN(size);
	buf->pages = rk_dma_heap_alloc_contig_pages(buf->heap, buf->size, "rkisp");
	if (IS_ERR_OR_NULL(buf->pages)) {
		rk_dma_heap_put(buf->heap);
		kfree(buf);
		return ERR_PTR(-ENOMEM);
	}
	buf->phys = page_to_phys(buf->pages);
	return buf;
}

static void contig_free(struct contig_buf *buf)
{
	rk_dma_heap_free_contig_pages(buf->heap, buf->pages, buf->size, "rkisp");
	rk_dma_heap_put(buf->heap);
	kfree(buf);
}

static int __init contig_init(void)
{
	struct contig_buf *buf = contig_alloc(SZ_64K);

	if (IS_ERR(buf))
		return PTR_ERR(buf);
	pr_info("contig buffer at %pa\n", &buf->phys);
	contig_free(buf);
	return 0;
}
module_init(contig_init);
MODULE_LICENSE("GPL");
