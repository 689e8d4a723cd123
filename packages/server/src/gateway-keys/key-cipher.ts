import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The encryption key: HKDF-SHA256 of the server secret, for this one purpose only. */
function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'llmlab-provider-keys', 'aes-256-gcm/v1', 32));
}

/** Binds a ciphertext to its row, so a stored key cannot be moved to another project. */
function aad(projectId: string, provider: string): Buffer {
  return Buffer.from(`${projectId}\u0000${provider}`);
}

/** AES-256-GCM with a random IV: `v1.<base64url(iv | tag | ciphertext)>`. */
export function encryptProviderKey(secret: string, projectId: string, provider: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(secret), iv);
  cipher.setAAD(aad(projectId, provider));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

/** The plaintext key; throws when the secret changed or the ciphertext was tampered with. */
export function decryptProviderKey(secret: string, projectId: string, provider: string, stored: string): string {
  const [version, payload] = stored.split('.');
  if (version !== VERSION || !payload) throw new Error('unknown provider key format');
  const raw = Buffer.from(payload, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(secret), raw.subarray(0, IV_BYTES));
  decipher.setAAD(aad(projectId, provider));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
