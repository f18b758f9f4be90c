/* FastPath native shim: the C surface that the .NET interop layer binds to. */
#ifndef FASTPATH_SHIM_H
#define FASTPATH_SHIM_H

#include <stdint.h>

#define FP_EXPORT __attribute__((visibility("default")))

/* ABI version; the managed side refuses to run against a different one. */
#define FP_SHIM_ABI_VERSION 1

FP_EXPORT int fp_shim_abi_version(void);

/* Pins the calling thread to one CPU. Returns 0 or -errno. */
FP_EXPORT int fp_pin_current_thread(int cpu);

/* Returns the CPU the calling thread runs on now, or -errno. */
FP_EXPORT int fp_current_cpu(void);

/* Reads the time-stamp counter: cycles for PMD busy/idle accounting. */
FP_EXPORT uint64_t fp_rdtsc(void);

/* Estimates the TSC frequency in Hz by sleeping for the given milliseconds. */
FP_EXPORT uint64_t fp_tsc_hz(int sample_ms);

/* ---- AF_XDP (afxdp.c) ------------------------------------------------------------------------
 * A thin layer over libxdp's xsk API. It holds no policy: which mode to try, how many frames to
 * keep in the fill ring and what to do with a full ring are the caller's decisions. Ring
 * functions handle many descriptors per call so that the managed side pays one transition per
 * batch, never per packet. Every function returning int reports failure as -errno. */

typedef struct fp_umem fp_umem;
typedef struct fp_xsk fp_xsk;

/* A descriptor as the rx and tx rings carry it (layout of struct xdp_desc). addr is an offset
 * into the UMEM area: in aligned mode the kernel places a received packet at
 * frame + XDP_PACKET_HEADROOM (256) + frame_headroom and reports that offset. */
typedef struct fp_xsk_desc {
    uint64_t addr;
    uint32_t len;
    uint32_t options;
} fp_xsk_desc;

/* Kernel counters of one socket (XDP_STATISTICS); fields an older kernel lacks read as 0. */
typedef struct fp_xsk_stats {
    uint64_t rx_dropped;               /* no fill buffer, or too long for a frame */
    uint64_t rx_invalid_descs;         /* bad addresses put in the fill ring */
    uint64_t tx_invalid_descs;         /* bad tx descriptors */
    uint64_t rx_ring_full;             /* rx ring had no room */
    uint64_t rx_fill_ring_empty_descs; /* times the kernel found the fill ring empty */
    uint64_t tx_ring_empty_descs;      /* times a wakeup found the tx ring empty */
} fp_xsk_stats;

/* Socket flags for fp_xsk_create. At most one of NATIVE/GENERIC and one of COPY/ZEROCOPY. */
#define FP_XSK_NATIVE 0x1u       /* attach the XDP program in driver mode (XDP_FLAGS_DRV_MODE) */
#define FP_XSK_GENERIC 0x2u      /* attach in generic/SKB mode (XDP_FLAGS_SKB_MODE) */
#define FP_XSK_COPY 0x4u         /* bind with XDP_COPY */
#define FP_XSK_ZEROCOPY 0x8u     /* bind with XDP_ZEROCOPY (fails where the driver cannot) */
#define FP_XSK_NEED_WAKEUP 0x10u /* bind with XDP_USE_NEED_WAKEUP */

/* XDP attach modes as fp_xsk_info and fp_xdp_query report them (the kernel's XDP_ATTACHED_*). */
#define FP_XDP_MODE_NONE 0
#define FP_XDP_MODE_NATIVE 1
#define FP_XDP_MODE_GENERIC 2
#define FP_XDP_MODE_OFFLOAD 3
#define FP_XDP_MODE_MULTI 4

typedef struct fp_xsk_info {
    int32_t fd;
    int32_t ifindex;
    uint32_t queue;
    uint32_t flags;       /* FP_XSK_* the socket was created with */
    uint32_t zerocopy;    /* 1 if the kernel runs the socket zero-copy (XDP_OPTIONS) */
    uint32_t xdp_mode;    /* FP_XDP_MODE_* of the program now on the interface */
    uint32_t prog_id;     /* id of that program (the libxdp dispatcher when there is one) */
    uint32_t shared_umem; /* 1 if bound with XDP_SHARED_UMEM to another socket's UMEM */
} fp_xsk_info;

/* Registers [area, area + size) as a UMEM of frame_size chunks (aligned mode) and creates its fill
 * and completion rings. area must be page-aligned and stay allocated until fp_umem_destroy
 * succeeds. Ring sizes must be powers of two. */
FP_EXPORT int fp_umem_create(void *area, uint64_t size, uint32_t frame_size, uint32_t fill_size,
                             uint32_t comp_size, uint32_t frame_headroom, fp_umem **out);

/* Unregisters and frees the UMEM; -EBUSY (and nothing freed) while a socket still uses it. */
FP_EXPORT int fp_umem_destroy(fp_umem *umem);

/* Creates an AF_XDP socket with rx and tx rings on (ifname, queue) over umem and lets libxdp
 * attach its default redirect program (or reuse the one already there). The first socket of a
 * UMEM uses the UMEM's fill/completion rings; a later one is bound with XDP_SHARED_UMEM and gets
 * rings of its own. -ENODEV: no such interface; -EOPNOTSUPP/-EINVAL: the mode is not supported. */
FP_EXPORT int fp_xsk_create(fp_umem *umem, const char *ifname, uint32_t queue, uint32_t rx_size,
                            uint32_t tx_size, uint32_t flags, fp_xsk **out);

/* Closes the socket. When it was the last socket of this process on its interface and this
 * process attached the XDP program, the program is detached from the interface. */
FP_EXPORT int fp_xsk_destroy(fp_xsk *xsk);

FP_EXPORT int fp_xsk_get_info(const fp_xsk *xsk, fp_xsk_info *info);

/* Puts up to n frame addresses in the fill ring; returns how many fit. */
FP_EXPORT int fp_xsk_fill(fp_xsk *xsk, const uint64_t *addrs, uint32_t n);

/* Takes up to max received descriptors off the rx ring into out; returns how many. */
FP_EXPORT int fp_xsk_rx(fp_xsk *xsk, fp_xsk_desc *out, uint32_t max);

/* Puts up to n descriptors on the tx ring; returns how many fit. Call fp_xsk_kick after. */
FP_EXPORT int fp_xsk_tx(fp_xsk *xsk, const fp_xsk_desc *descs, uint32_t n);

/* Takes up to max addresses of sent frames off the completion ring; returns how many. */
FP_EXPORT int fp_xsk_complete(fp_xsk *xsk, uint64_t *out, uint32_t max);

/* 1 when the kernel asks for a syscall before it takes more from the fill ring. */
FP_EXPORT int fp_xsk_fill_needs_wakeup(const fp_xsk *xsk);

/* Wakes the rx side with a zero-timeout poll() if the fill ring needs it. 1: woken, 0: not
 * needed, -errno on failure. Never blocks. */
FP_EXPORT int fp_xsk_rx_wakeup(fp_xsk *xsk);

/* Makes the kernel transmit what is on the tx ring (sendto with MSG_DONTWAIT) when it needs a
 * wakeup (always, without FP_XSK_NEED_WAKEUP). 1: kicked, 0: not needed; -EAGAIN, -EBUSY and
 * -ENOBUFS mean "busy, kick again later". Never blocks. */
FP_EXPORT int fp_xsk_kick(fp_xsk *xsk);

FP_EXPORT int fp_xsk_get_stats(const fp_xsk *xsk, fp_xsk_stats *stats);

/* The XDP program attached to ifname now: its id (0 when none) and FP_XDP_MODE_*. */
FP_EXPORT int fp_xdp_query(const char *ifname, uint32_t *prog_id, uint32_t *mode);

/* Messages of libxdp and libbpf: 0 silences them, 1 warnings, 2 warnings and info (the
 * libraries' default), 3 all. Process-wide. */
FP_EXPORT void fp_afxdp_set_log_level(int level);

#endif
