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

#endif
