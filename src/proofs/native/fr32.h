/* fr32 padding of one quad, for other C files of libpetal (the exported batch calls are in fr32.c). */
#ifndef PETAL_FR32_H
#define PETAL_FR32_H

#include <stdint.h>

/* Pads 127 bytes of `in` into 128 bytes of `out` (buffers must not overlap). */
void petal_fr32_pad_quad(const uint8_t *in, uint8_t *out);

#endif
