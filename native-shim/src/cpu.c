#define _GNU_SOURCE
#include "fastpath_shim.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <time.h>

int fp_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE)
        return -EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    /* pthread_setaffinity_np returns a positive error number, not -1/errno. */
    int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    return rc == 0 ? 0 : -rc;
}

int fp_current_cpu(void) {
    int cpu = sched_getcpu();
    return cpu >= 0 ? cpu : -errno;
}

uint64_t fp_rdtsc(void) {
#if defined(__x86_64__) || defined(__i386__)
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
#endif
}

uint64_t fp_tsc_hz(int sample_ms) {
    if (sample_ms <= 0)
        sample_ms = 50;
    struct timespec t0, t1, req = {sample_ms / 1000, (long)(sample_ms % 1000) * 1000000L};
    clock_gettime(CLOCK_MONOTONIC_RAW, &t0);
    uint64_t c0 = fp_rdtsc();
    nanosleep(&req, NULL);
    uint64_t c1 = fp_rdtsc();
    clock_gettime(CLOCK_MONOTONIC_RAW, &t1);
    uint64_t ns =
        (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000000ull + (uint64_t)(t1.tv_nsec - t0.tv_nsec);
    if (ns == 0)
        return 0;
    return (uint64_t)((double)(c1 - c0) * 1e9 / (double)ns);
}
