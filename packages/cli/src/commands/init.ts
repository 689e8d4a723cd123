import { DEFAULT_BASE_URL, readEnvironment } from '../settings.js';
import { normalizeBaseUrl, resolveSetting } from '../config-file.js';
import { CliError, usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { type Credentials, checkKey, describeConnection, type InitOptions, keyFromAccount, saveCredentials } from './init-account.js';

export type { InitOptions };

export async function initialize(options: InitOptions): Promise<void> {
  const env = readEnvironment();
  const flagsGiven = Boolean(options.apiKey || options.email || env.apiKey);
  const interactive = !options.nonInteractive && !flagsGiven && env.stdinIsTTY && env.stdoutIsTTY;
  if (interactive) {
    const { initInteractively } = await import('./init-prompts.js');
    await initInteractively(options);
    return;
  }
  const credentials = await credentialsFromFlags(options);
  const me = await checkKey(credentials);
  const path = await saveCredentials(credentials);
  const c = paint();
  process.stdout.write(`${c.green('✔')} ${describeConnection(me, credentials.baseUrl)}\n${c.green('✔')} Saved to ${path}\n`);
}

async function credentialsFromFlags(options: InitOptions): Promise<Credentials> {
  const base = options.baseUrl ?? (await resolveSetting('base_url')).value ?? DEFAULT_BASE_URL;
  const baseUrl = normalizeBaseUrl(base);
  if (options.email) {
    if (!options.password) throw usageError('--email needs --password to log in.');
    return { baseUrl, apiKey: await keyFromAccount(baseUrl, options.email, options.password, options.signup === true) };
  }
  if (options.signup) throw usageError('--signup needs --email and --password.');
  const apiKey = options.apiKey ?? readEnvironment().apiKey;
  if (!apiKey) {
    throw new CliError(
      'llmlab init needs a terminal to ask questions; pass --api-key (or set LLMLAB_API_KEY), or --email and --password.',
      2,
    );
  }
  return { baseUrl, apiKey };
}
