/*
 * libpetal: the native accelerator of petal's proofs code. Every exported function returns a status code
 * (PETAL_OK or a negative PETAL_E*) and writes results into buffers the caller owns, so the TypeScript side
 * never frees memory it did not allocate. Exported symbols carry PETAL_API; everything else stays hidden
 * (the library is compiled with -fvisibility=hidden).
 */
#ifndef PETAL_H
#define PETAL_H

#include <stddef.h>
#include <stdint.h>

#define PETAL_API __attribute__((visibility("default")))

/* Bumped whenever an exported signature changes; the loader refuses a library with another version. */
#define PETAL_ABI_VERSION 2

#define PETAL_OK 0
/* A null pointer, a zero or non-power-of-two count, or a length that is not a whole number of units. */
#define PETAL_EINVAL (-1)
/* fr32 unpad met an element whose top two bits are set. */
#define PETAL_EFR32 (-2)
/* The requested implementation is not available on this CPU. */
#define PETAL_EUNSUPPORTED (-3)

#endif
