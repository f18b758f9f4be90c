#include "fastpath_shim.h"

int fp_shim_abi_version(void) { return FP_SHIM_ABI_VERSION; }
