import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppError } from '@llmlab/core';

/** True for loopback, private, link-local, carrier-grade NAT, unique-local and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  const v6 = address.toLowerCase();
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

/** An http(s) URL, or a validation error naming the field. */
export function parseTargetUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AppError('validation_failed', `${field}: not a URL`, [{ path: field, message: 'not a URL' }]);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('validation_failed', `${field}: must be an http or https URL`, [{ path: field, message: 'must be an http or https URL' }]);
  }
  return url;
}

/**
 * Refuses a target whose host is or resolves to a private or loopback address (the server
 * must not be made to call into its own network), unless the admin allowed it. Checked when a
 * channel is saved and again before each delivery, since DNS answers change.
 */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    throw new AppError('validation_failed', `url: cannot resolve ${host}`, [{ path: 'url', message: 'cannot resolve host' }]);
  }
  if (host === 'localhost' || addresses.some(isPrivateAddress)) {
    throw new AppError(
      'validation_failed',
      `url: ${host} is a private or loopback address; set LLMLAB_WEBHOOK_ALLOW_PRIVATE=true to allow it`,
      [{ path: 'url', message: 'private or loopback address' }],
    );
  }
}
