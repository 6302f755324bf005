// SPDX-License-Identifier: GPL-2.0
/*
 * An accounting module in the shape of the BSP's rk_dmabuf procfs: it
 * walks all buffers with get_each_dmabuf() (dma_buf_get_each() in later
 * BSPs) and reads and resets the total and peak.
 */
#include <linux/dma-buf.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

static int acct_one(const struct dma_buf *dmabuf, void *private)
{
	struct seq_file *s = private;

	seq_printf(s, "%-16s %8zu KiB %s\n", dmabuf->exp_name, dmabuf->size >> 10,
		   dmabuf->name ?: "");
	return 0;
}

static int acct_show(struct seq_file *s, void *v)
{
	int ret = get_each_dmabuf(acct_one, s);

	if (!ret)
		ret = dma_buf_get_each(acct_one, s);
	seq_printf(s, "total %zu peak %zu (%d)\n", dma_buf_get_total_size(),
		   dma_buf_get_peak_size(), ret);
	dma_buf_reset_peak_size();
	return 0;
}

static int __init acct_init(void)
{
	return proc_create_single("bsp_accounting", 0444, NULL, acct_show) ? 0 : -ENOMEM;
}

static void __exit acct_exit(void)
{
	remove_proc_entry("bsp_accounting", NULL);
}
module_init(acct_init);
module_exit(acct_exit);
MODULE_LICENSE("GPL");
