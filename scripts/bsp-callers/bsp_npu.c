// SPDX-License-Identifier: GPL-2.0
/*
 * An NPU driver as the BSP's are written: it includes only
 * <linux/rk-dma-heap.h> and <linux/dma-map-ops.h> for its memory code,
 * finds the CMA heap and prepares its device at probe, exports buffers
 * to user space and imports user buffers for the device.
 */
#include <linux/dma-map-ops.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/rk-dma-heap.h>

static struct rk_dma_heap *npu_heap;

static int npu_mem_create(size_t size, int *fd)
{
	struct dma_buf *dmabuf;

	dmabuf = rk_dma_heap_buffer_alloc(npu_heap, size, O_RDWR | O_CLOEXEC, 0,
					  "rknpu");
	if (IS_ERR_OR_NULL(dmabuf))
		return dmabuf ? PTR_ERR(dmabuf) : -ENOMEM;
	*fd = dma_buf_fd(dmabuf, O_CLOEXEC);
	if (*fd < 0) {
		dma_buf_put(dmabuf);
		return *fd;
	}
	return 0;
}

static int npu_mem_import(struct device *dev, int fd, dma_addr_t *iova)
{
	struct dma_buf_attachment *attach;
	struct dma_buf *dmabuf;
	struct sg_table *sgt;
	int ret = 0;

	dmabuf = dma_buf_get(fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	attach = dma_buf_attach(dmabuf, dev);
	if (IS_ERR(attach)) {
		ret = PTR_ERR(attach);
		goto put;
	}
	sgt = dma_buf_map_attachment(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto detach;
	}
	*iova = sg_dma_address(sgt->sgl);
	dma_buf_unmap_attachment(attach, sgt, DMA_BIDIRECTIONAL);
detach:
	dma_buf_detach(dmabuf, attach);
put:
	dma_buf_put(dmabuf);
	return ret;
}

static int npu_probe(struct platform_device *pdev)
{
	dma_addr_t iova;
	int fd, ret;

	npu_heap = rk_dma_heap_find("rk-dma-heap-cma");
	if (!npu_heap) {
		dev_err(&pdev->dev, "failed to find cma heap\n");
		return -ENOMEM;
	}
	ret = rk_dma_heap_set_dev(&pdev->dev);
	if (ret)
		dev_warn(&pdev->dev, "rk_dma_heap_set_dev: %d\n", ret);
	ret = npu_mem_create(1 << 20, &fd);
	if (!ret)
		ret = npu_mem_import(&pdev->dev, fd, &iova);
	return ret;
}

static int npu_remove(struct platform_device *pdev)
{
	rk_dma_heap_put(npu_heap);
	return 0;
}

static struct platform_driver npu_driver = {
	.probe = npu_probe,
	.remove = npu_remove,
	.driver = { .name = "bsp-npu" },
};
module_platform_driver(npu_driver);
MODULE_LICENSE("GPL");
