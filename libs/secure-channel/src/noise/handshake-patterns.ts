/** Tokens and patterns from the Noise spec rev 34, section 7; only the ones Hostlink uses or tests. */
export type Token = 'e' | 's' | 'ee' | 'es' | 'se' | 'ss';

export interface HandshakePattern {
  readonly name: string;
  /** Pre-message tokens: public keys each side knows before the handshake starts. */
  readonly initiatorPreMessage: readonly ('e' | 's')[];
  readonly responderPreMessage: readonly ('e' | 's')[];
  /** Messages alternate, starting with the initiator. */
  readonly messages: readonly (readonly Token[])[];
}

export const HANDSHAKE_PATTERNS = {
  NN: { name: 'NN', initiatorPreMessage: [], responderPreMessage: [], messages: [['e'], ['e', 'ee']] },
  XX: {
    name: 'XX',
    initiatorPreMessage: [],
    responderPreMessage: [],
    messages: [['e'], ['e', 'ee', 's', 'es'], ['s', 'se']],
  },
  XK: {
    name: 'XK',
    initiatorPreMessage: [],
    responderPreMessage: ['s'],
    messages: [
      ['e', 'es'],
      ['e', 'ee'],
      ['s', 'se'],
    ],
  },
  IK: {
    name: 'IK',
    initiatorPreMessage: [],
    responderPreMessage: ['s'],
    messages: [
      ['e', 'es', 's', 'ss'],
      ['e', 'ee', 'se'],
    ],
  },
} as const satisfies Record<string, HandshakePattern>;

export type HandshakePatternName = keyof typeof HANDSHAKE_PATTERNS;

export function protocolName(pattern: HandshakePatternName): string {
  return `Noise_${pattern}_25519_AESGCM_SHA256`;
}
