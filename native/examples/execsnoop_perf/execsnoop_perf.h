/* SPDX-License-Identifier: Apache-2.0 */
/* The perf-buffer variant reports the same events as execsnoop (struct exec_event). */
#ifndef EXECSNOOP_PERF_H
#define EXECSNOOP_PERF_H

#include "../execsnoop/execsnoop.h"

#endif
