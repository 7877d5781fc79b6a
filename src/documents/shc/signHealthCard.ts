import { deflateRawSync } from 'node:zlib';
import { CompactSign } from 'jose';
import type { SigningKey } from '../keys/signingKeys.js';

export const HEALTH_CARD_TYPE = 'https://smarthealth.cards#health-card';
export const IMMUNIZATION_TYPE = 'https://smarthealth.cards#immunization';
export const COVID19_TYPE = 'https://smarthealth.cards#covid19';

/**
 * The JWS of a SMART Health Card: the payload minified (JSON.stringify adds no whitespace), raw DEFLATE
 * (no zlib header), ES256 with `zip: "DEF"` and `kid` = the key's RFC 7638 thumbprint.
 */
export const signHealthCard = async (args: { iss: string; nbf: number; rid?: string; bundle: object; key: SigningKey }) => {
  const payload = {
    iss: args.iss,
    nbf: args.nbf,
    vc: {
      type: [HEALTH_CARD_TYPE, IMMUNIZATION_TYPE, COVID19_TYPE],
      credentialSubject: { fhirVersion: '4.0.1', fhirBundle: args.bundle },
      ...(args.rid ? { rid: args.rid } : {}),
    },
  };
  const deflated = deflateRawSync(Buffer.from(JSON.stringify(payload)), { level: 9 });
  return new CompactSign(deflated).setProtectedHeader({ alg: 'ES256', zip: 'DEF', kid: args.key.kid }).sign(args.key.privateKey);
};
