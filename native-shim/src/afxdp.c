/* AF_XDP sockets over libxdp: UMEM registration, socket setup and batched ring access.
 * Policy (which modes to try, how full to keep the fill ring) lives in the managed caller. */
#define _GNU_SOURCE
#include "fastpath_shim.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

/* Name of libxdp's default redirect program inside xsk_def_xdp_prog.o. */
#define XSK_DEF_PROG_NAME "xsk_def_prog"

#define FP_XSK_ALL_FLAGS                                                                           \
    (FP_XSK_NATIVE | FP_XSK_GENERIC | FP_XSK_COPY | FP_XSK_ZEROCOPY | FP_XSK_NEED_WAKEUP)

struct fp_umem {
    struct xsk_umem *umem;
    /* The rings libxdp creates with the UMEM; the UMEM's first socket uses them. */
    struct xsk_ring_prod fill;
    struct xsk_ring_cons comp;
    int sockets;
};

struct fp_xsk {
    struct xsk_socket *xsk;
    struct fp_umem *umem;
    struct xsk_ring_cons rx;
    struct xsk_ring_prod tx;
    /* Point at the UMEM's rings, or at own_fill/own_comp for an XDP_SHARED_UMEM socket. */
    struct xsk_ring_prod *fill;
    struct xsk_ring_cons *comp;
    struct xsk_ring_prod own_fill;
    struct xsk_ring_cons own_comp;
    int fd;
    int ifindex;
    uint32_t queue;
    uint32_t flags;
    int need_wakeup;
    int shared;
};

/* libxdp attaches its program when the first socket on an interface is created but never
 * detaches it, so this process counts its sockets per interface and detaches the program after
 * the last one, but only if it was this process that found the interface without one. */
struct prog_ref {
    int ifindex;
    int sockets;
    int attached_here;
};

#define MAX_PROG_REFS 256
static struct prog_ref prog_refs[MAX_PROG_REFS];
static pthread_mutex_t prog_refs_lock = PTHREAD_MUTEX_INITIALIZER;

static int log_level = 2;

static int filtered_print(enum libxdp_print_level level, const char *fmt, va_list ap) {
    if ((int)level >= log_level)
        return 0;
    return vfprintf(stderr, fmt, ap);
}

/* libbpf numbers its levels like libxdp (warn, info, debug), so one threshold serves both. */
static int filtered_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap) {
    if ((int)level >= log_level)
        return 0;
    return vfprintf(stderr, fmt, ap);
}

void fp_afxdp_set_log_level(int level) {
    log_level = level;
    libxdp_set_print(filtered_print);
    /* libxdp opens its program object through libbpf, which logs on its own. */
    libbpf_set_print(filtered_libbpf_print);
}

static struct prog_ref *find_prog_ref(int ifindex) {
    for (int i = 0; i < MAX_PROG_REFS; i++)
        if (prog_refs[i].sockets > 0 && prog_refs[i].ifindex == ifindex)
            return &prog_refs[i];
    return NULL;
}

static struct prog_ref *new_prog_ref(int ifindex, int attached_here) {
    for (int i = 0; i < MAX_PROG_REFS; i++) {
        if (prog_refs[i].sockets == 0) {
            prog_refs[i].ifindex = ifindex;
            prog_refs[i].sockets = 1;
            prog_refs[i].attached_here = attached_here;
            return &prog_refs[i];
        }
    }
    return NULL;
}

/* Finds libxdp's redirect program on the interface, either inside a dispatcher or attached on
 * its own (legacy). On success *mp must be closed by the caller; the program belongs to it. */
static struct xdp_program *find_xsk_prog(int ifindex, struct xdp_multiprog **mp_out) {
    struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifindex);
    *mp_out = NULL;
    if (!mp || libxdp_get_error(mp))
        return NULL;

    struct xdp_program *prog = NULL;
    if (xdp_multiprog__is_legacy(mp)) {
        struct xdp_program *main = xdp_multiprog__main_prog(mp);
        if (main && strcmp(xdp_program__name(main), XSK_DEF_PROG_NAME) == 0)
            prog = main;
    } else {
        while ((prog = xdp_multiprog__next_prog(prog, mp)) != NULL)
            if (strcmp(xdp_program__name(prog), XSK_DEF_PROG_NAME) == 0)
                break;
    }

    if (!prog) {
        xdp_multiprog__close(mp);
        return NULL;
    }
    *mp_out = mp;
    return prog;
}

static void detach_xsk_prog(int ifindex) {
    struct xdp_multiprog *mp;
    struct xdp_program *prog = find_xsk_prog(ifindex, &mp);
    if (!prog)
        return;
    enum xdp_attach_mode mode = xdp_multiprog__attach_mode(mp);
    int err = xdp_program__detach(prog, ifindex, mode, 0);
    if (err && log_level > 0)
        fprintf(stderr, "fastpath: cannot detach XDP program from ifindex %d: %s\n", ifindex,
                strerror(-err));
    xdp_multiprog__close(mp);
}

int fp_umem_create(void *area, uint64_t size, uint32_t frame_size, uint32_t fill_size,
                   uint32_t comp_size, uint32_t frame_headroom, fp_umem **out) {
    if (!area || !out || size == 0 || frame_size == 0)
        return -EINVAL;
    *out = NULL;

    fp_umem *u = calloc(1, sizeof(*u));
    if (!u)
        return -ENOMEM;

    struct xsk_umem_config cfg = {
        .fill_size = fill_size,
        .comp_size = comp_size,
        .frame_size = frame_size,
        .frame_headroom = frame_headroom,
        .flags = 0,
    };
    int err = xsk_umem__create(&u->umem, area, size, &u->fill, &u->comp, &cfg);
    if (err) {
        free(u);
        return err < 0 ? err : -err;
    }
    *out = u;
    return 0;
}

int fp_umem_destroy(fp_umem *u) {
    if (!u)
        return 0;
    if (u->sockets > 0)
        return -EBUSY;
    int err = xsk_umem__delete(u->umem);
    if (err)
        return err;
    free(u);
    return 0;
}

static int attached_mode(int ifindex, uint32_t *prog_id, uint32_t *mode) {
    LIBBPF_OPTS(bpf_xdp_query_opts, opts);
    int err = bpf_xdp_query(ifindex, 0, &opts);
    if (err)
        return err;
    *prog_id = opts.prog_id;
    *mode = opts.attach_mode;
    return 0;
}

int fp_xsk_create(fp_umem *umem, const char *ifname, uint32_t queue, uint32_t rx_size,
                  uint32_t tx_size, uint32_t flags, fp_xsk **out) {
    if (!umem || !ifname || !out || (flags & ~FP_XSK_ALL_FLAGS))
        return -EINVAL;
    if ((flags & FP_XSK_NATIVE) && (flags & FP_XSK_GENERIC))
        return -EINVAL;
    if ((flags & FP_XSK_COPY) && (flags & FP_XSK_ZEROCOPY))
        return -EINVAL;
    *out = NULL;

    int ifindex = (int)if_nametoindex(ifname);
    if (ifindex == 0)
        return -errno;

    fp_xsk *s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;

    struct xsk_socket_config cfg = {
        .rx_size = rx_size,
        .tx_size = tx_size,
        .libxdp_flags = 0,
        .xdp_flags = (flags & FP_XSK_NATIVE)    ? XDP_FLAGS_DRV_MODE
                     : (flags & FP_XSK_GENERIC) ? XDP_FLAGS_SKB_MODE
                                                : 0,
        .bind_flags = (uint16_t)(((flags & FP_XSK_COPY) ? XDP_COPY : 0) |
                                 ((flags & FP_XSK_ZEROCOPY) ? XDP_ZEROCOPY : 0) |
                                 ((flags & FP_XSK_NEED_WAKEUP) ? XDP_USE_NEED_WAKEUP : 0)),
    };

    pthread_mutex_lock(&prog_refs_lock);

    struct prog_ref *ref = find_prog_ref(ifindex);
    int had_prog = 1;
    if (!ref) {
        struct xdp_multiprog *mp;
        had_prog = find_xsk_prog(ifindex, &mp) != NULL;
        if (mp)
            xdp_multiprog__close(mp);
    }

    int err;
    if (umem->sockets == 0) {
        s->fill = &umem->fill;
        s->comp = &umem->comp;
        err = xsk_socket__create(&s->xsk, ifname, queue, umem->umem, &s->rx, &s->tx, &cfg);
    } else {
        /* The kernel requires a shared-UMEM socket to have its own fill/completion pair. */
        s->fill = &s->own_fill;
        s->comp = &s->own_comp;
        s->shared = 1;
        err = xsk_socket__create_shared(&s->xsk, ifname, queue, umem->umem, &s->rx, &s->tx, s->fill,
                                        s->comp, &cfg);
    }

    if (err) {
        pthread_mutex_unlock(&prog_refs_lock);
        free(s);
        return err < 0 ? err : -err;
    }

    if (ref) {
        ref->sockets++;
    } else if (!new_prog_ref(ifindex, !had_prog)) {
        /* Out of slots: the socket works, the program just stays attached after teardown. */
        if (log_level > 0)
            fprintf(stderr, "fastpath: too many AF_XDP interfaces to track XDP detach\n");
    }
    umem->sockets++;
    pthread_mutex_unlock(&prog_refs_lock);

    s->umem = umem;
    s->fd = xsk_socket__fd(s->xsk);
    s->ifindex = ifindex;
    s->queue = queue;
    s->flags = flags;
    s->need_wakeup = (flags & FP_XSK_NEED_WAKEUP) != 0;
    *out = s;
    return 0;
}

int fp_xsk_destroy(fp_xsk *s) {
    if (!s)
        return 0;

    pthread_mutex_lock(&prog_refs_lock);
    xsk_socket__delete(s->xsk);
    struct prog_ref *ref = find_prog_ref(s->ifindex);
    if (ref && --ref->sockets == 0 && ref->attached_here)
        detach_xsk_prog(s->ifindex);
    s->umem->sockets--;
    pthread_mutex_unlock(&prog_refs_lock);

    free(s);
    return 0;
}

int fp_xsk_get_info(const fp_xsk *s, fp_xsk_info *info) {
    if (!s || !info)
        return -EINVAL;
    memset(info, 0, sizeof(*info));
    info->fd = s->fd;
    info->ifindex = s->ifindex;
    info->queue = s->queue;
    info->flags = s->flags;
    info->shared_umem = (uint32_t)s->shared;

    struct xdp_options opts = {0};
    socklen_t len = sizeof(opts);
    if (getsockopt(s->fd, SOL_XDP, XDP_OPTIONS, &opts, &len) == 0)
        info->zerocopy = (opts.flags & XDP_OPTIONS_ZEROCOPY) ? 1 : 0;
    else
        return -errno;

    return attached_mode(s->ifindex, &info->prog_id, &info->xdp_mode);
}

int fp_xsk_fill(fp_xsk *s, const uint64_t *addrs, uint32_t n) {
    if (!s || (n && !addrs))
        return -EINVAL;
    uint32_t room = xsk_prod_nb_free(s->fill, n);
    if (n > room)
        n = room;
    if (n == 0)
        return 0;

    uint32_t idx = 0;
    if (xsk_ring_prod__reserve(s->fill, n, &idx) != n)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        *xsk_ring_prod__fill_addr(s->fill, idx + i) = addrs[i];
    xsk_ring_prod__submit(s->fill, n);
    return (int)n;
}

int fp_xsk_rx(fp_xsk *s, fp_xsk_desc *out, uint32_t max) {
    if (!s || (max && !out))
        return -EINVAL;
    uint32_t idx = 0;
    uint32_t n = xsk_ring_cons__peek(&s->rx, max, &idx);
    for (uint32_t i = 0; i < n; i++) {
        const struct xdp_desc *d = xsk_ring_cons__rx_desc(&s->rx, idx + i);
        out[i].addr = d->addr;
        out[i].len = d->len;
        out[i].options = d->options;
    }
    if (n)
        xsk_ring_cons__release(&s->rx, n);
    return (int)n;
}

int fp_xsk_tx(fp_xsk *s, const fp_xsk_desc *descs, uint32_t n) {
    if (!s || (n && !descs))
        return -EINVAL;
    uint32_t room = xsk_prod_nb_free(&s->tx, n);
    if (n > room)
        n = room;
    if (n == 0)
        return 0;

    uint32_t idx = 0;
    if (xsk_ring_prod__reserve(&s->tx, n, &idx) != n)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        struct xdp_desc *d = xsk_ring_prod__tx_desc(&s->tx, idx + i);
        d->addr = descs[i].addr;
        d->len = descs[i].len;
        d->options = descs[i].options;
    }
    xsk_ring_prod__submit(&s->tx, n);
    return (int)n;
}

int fp_xsk_complete(fp_xsk *s, uint64_t *out, uint32_t max) {
    if (!s || (max && !out))
        return -EINVAL;
    uint32_t idx = 0;
    uint32_t n = xsk_ring_cons__peek(s->comp, max, &idx);
    for (uint32_t i = 0; i < n; i++)
        out[i] = *xsk_ring_cons__comp_addr(s->comp, idx + i);
    if (n)
        xsk_ring_cons__release(s->comp, n);
    return (int)n;
}

int fp_xsk_fill_needs_wakeup(const fp_xsk *s) {
    if (!s)
        return -EINVAL;
    return s->need_wakeup && xsk_ring_prod__needs_wakeup(s->fill) ? 1 : 0;
}

int fp_xsk_rx_wakeup(fp_xsk *s) {
    if (!s)
        return -EINVAL;
    if (!s->need_wakeup || !xsk_ring_prod__needs_wakeup(s->fill))
        return 0;
    struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
    return poll(&pfd, 1, 0) < 0 ? -errno : 1;
}

int fp_xsk_kick(fp_xsk *s) {
    if (!s)
        return -EINVAL;
    if (s->need_wakeup && !xsk_ring_prod__needs_wakeup(&s->tx))
        return 0;
    if (sendto(s->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
        return 1;
    return -errno;
}

int fp_xsk_get_stats(const fp_xsk *s, fp_xsk_stats *stats) {
    if (!s || !stats)
        return -EINVAL;
    /* Older kernels return a shorter struct; the missing tail stays zero. */
    struct xdp_statistics st;
    memset(&st, 0, sizeof(st));
    socklen_t len = sizeof(st);
    if (getsockopt(s->fd, SOL_XDP, XDP_STATISTICS, &st, &len) != 0)
        return -errno;
    stats->rx_dropped = st.rx_dropped;
    stats->rx_invalid_descs = st.rx_invalid_descs;
    stats->tx_invalid_descs = st.tx_invalid_descs;
    stats->rx_ring_full = st.rx_ring_full;
    stats->rx_fill_ring_empty_descs = st.rx_fill_ring_empty_descs;
    stats->tx_ring_empty_descs = st.tx_ring_empty_descs;
    return 0;
}

int fp_xdp_query(const char *ifname, uint32_t *prog_id, uint32_t *mode) {
    if (!ifname || !prog_id || !mode)
        return -EINVAL;
    int ifindex = (int)if_nametoindex(ifname);
    if (ifindex == 0)
        return -errno;
    return attached_mode(ifindex, prog_id, mode);
}
