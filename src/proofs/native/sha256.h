/*
 * SHA-256 for the rest of the native library. The compression runs with the CPU's SHA extensions when the
 * runtime check finds them (x86 SHA-NI) and a portable C version otherwise; both give identical results.
 * Other C files of libpetal (sealing: labelling, column hashing, tree building) call these directly.
 */
#ifndef PETAL_SHA256_H
#define PETAL_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Which compression petal_sha256_compress and friends use. */
enum petal_sha_impl { PETAL_SHA_PORTABLE = 0, PETAL_SHA_NI = 1 };

/* The SHA-256 initial hash value (FIPS 180-4 §5.3.3). */
extern const uint32_t petal_sha256_iv[8];
/* The 64 round constants (FIPS 180-4 §4.2.2). */
extern const uint32_t petal_sha256_k[64];

/* The implementation in use: the fastest this CPU supports unless petal_sha256_set_impl chose another. */
enum petal_sha_impl petal_sha256_impl_active(void);
/* Forces an implementation (tests compare them); returns 0, or -1 when the CPU lacks it. */
int petal_sha256_impl_set(enum petal_sha_impl impl);

/* Compresses `nblocks` 64-byte blocks into `state` (no padding: the caller frames the message). */
void petal_sha256_compress(uint32_t state[8], const uint8_t *blocks, size_t nblocks);

/* sha256(data) into out (32 bytes), with standard padding. */
void petal_sha256_digest(uint8_t out[32], const uint8_t *data, size_t len);

/*
 * Tree nodes: for i < n, out[32i..32i+32) = sha256(in[64i..64i+64)) with the top two bits of the last byte
 * cleared (sha2-256-trunc254-padded). `out` may equal `in`: a tree layer can be hashed in place.
 */
void petal_sha256_nodes(uint8_t *out, const uint8_t *in, size_t n);

/*
 * Tree nodes of wider arity: for i < n, out[32i..32i+32) = trunc254(sha256(in[64·blocks·i .. 64·blocks·(i+1))))
 * — n messages of `blocks` whole blocks each (an arity-8 node is 4 blocks), several hashed in lock step.
 * out may equal in when blocks ≥ 2.
 */
void petal_sha256_groups(uint8_t *out, const uint8_t *in, size_t blocks, size_t n);

/* K[t] + W[t] of the padding block that ends a message of `bytes` bytes, a whole number of blocks. */
void petal_sha256_kw_pad(uint32_t kw[64], uint64_t bytes);

/* One tree node from its two children. */
void petal_sha256_node(uint8_t out[32], const uint8_t left[32], const uint8_t right[32]);

/* Portable and SHA-NI back ends (internal; call the dispatching functions above). */
void petal_sha256_compress_portable(uint32_t state[8], const uint8_t *blocks, size_t nblocks);
void petal_sha256_nodes_portable(uint8_t *out, const uint8_t *in, size_t n);
void petal_sha256_groups_portable(uint8_t *out, const uint8_t *in, size_t blocks, size_t n);
#if defined(__x86_64__) || defined(__i386__)
int petal_x86_has_sha(void);
void petal_sha256_compress_shani(uint32_t state[8], const uint8_t *blocks, size_t nblocks);
void petal_sha256_nodes_shani(uint8_t *out, const uint8_t *in, size_t n);
void petal_sha256_groups_shani(uint8_t *out, const uint8_t *in, size_t blocks, size_t n);
#endif

/* K[t] + W[t] of the padding block of every 64-byte message (0x80, zeros, length 512 bits). */
extern const uint32_t petal_sha256_kw_pad64[64];

#endif
