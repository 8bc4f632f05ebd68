/** Human names of the multicodec codes petal reports (from the multicodec table). */

const CODECS: Record<number, string> = {
  0x00: 'identity',
  0x51: 'cbor',
  0x55: 'raw',
  0x70: 'dag-pb',
  0x71: 'dag-cbor',
  0x72: 'libp2p-key',
  0x78: 'git-raw',
  0x85: 'dag-jose',
  0x0129: 'dag-json',
  0x0200: 'json',
  0xf101: 'fil-commitment-unsealed',
  0xf102: 'fil-commitment-sealed',
}

const HASHES: Record<number, string> = {
  0x00: 'identity',
  0x11: 'sha1',
  0x12: 'sha2-256',
  0x13: 'sha2-512',
  0x14: 'sha3-512',
  0x15: 'sha3-384',
  0x16: 'sha3-256',
  0x17: 'sha3-224',
  0x1b: 'keccak-256',
  0x1012: 'sha2-256-trunc254-padded',
  0xb220: 'blake2b-256',
  0xb240: 'blake2b-512',
  0xb401: 'poseidon-bls12_381-a2-fc1',
}

/** The codec's name, or its code in hex. */
export function codecName(code: number): string {
  return CODECS[code] ?? `0x${code.toString(16)}`
}

/** The multihash function's name, or its code in hex. */
export function hashName(code: number): string {
  return HASHES[code] ?? `0x${code.toString(16)}`
}

/** go-car's name of an index codec. */
export function indexCodecName(code: number): string {
  return code === 0x0400 ? 'car-index-sorted' : code === 0x0401 ? 'car-multihash-index-sorted' : `0x${code.toString(16)}`
}
