import * as p from '@clack/prompts';
import { normalizeBaseUrl, resolveSetting } from '../config-file.js';
import { CliError } from '../errors.js';
import { type InitOptions, checkKey, describeConnection, keyFromAccount, saveCredentials } from './init-account.js';

type Method = 'key' | 'login' | 'signup';

/** A prompt answer, or an exit with code 1 when the user pressed ctrl-c or escape. */
function answered<T>(value: T): Exclude<T, symbol> {
  if (p.isCancel(value)) {
    p.cancel('Cancelled; nothing was saved.');
    // Already said on screen: the error carries only the exit code.
    throw new CliError('', 1);
  }
  return value as Exclude<T, symbol>;
}

function validUrl(value: string | undefined): string | undefined {
  try {
    normalizeBaseUrl(value ?? '');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** The `llmlab init` conversation: server, then a key or an account, checked before saving. */
export async function initInteractively(options: InitOptions): Promise<void> {
  p.intro('LLMLab setup');
  const current = options.baseUrl ?? (await resolveSetting('base_url')).value ?? '';
  const baseUrl = normalizeBaseUrl(
    answered(
      await p.text({ message: 'LLMLab server URL', placeholder: current, defaultValue: current, initialValue: current, validate: validUrl }),
    ),
  );
  const method = answered(
    await p.select<Method>({
      message: 'How do you want to connect?',
      options: [
        { value: 'key', label: 'Paste a project API key' },
        { value: 'login', label: 'Log in with email and password' },
        { value: 'signup', label: 'Create an account' },
      ],
    }),
  );
  let apiKey: string;
  if (method === 'key') {
    apiKey = answered(
      await p.password({ message: 'API key', validate: (v) => (v?.trim() ? undefined : 'Paste the key (llmlab_...)') }),
    ).trim();
  } else {
    const email = answered(await p.text({ message: 'Email', validate: (v) => (v?.includes('@') ? undefined : 'Enter an email address') }));
    const password = answered(
      await p.password({ message: 'Password', validate: (v) => ((v ?? '').length >= 8 ? undefined : 'At least 8 characters') }),
    );
    const spin = p.spinner();
    spin.start(method === 'signup' ? 'Creating your account' : 'Logging in');
    try {
      apiKey = await keyFromAccount(baseUrl, email, password, method === 'signup');
      spin.stop(method === 'signup' ? 'Account created' : 'Logged in');
    } catch (error) {
      spin.error('Failed');
      throw error;
    }
  }
  const spin = p.spinner();
  spin.start('Checking the key');
  let me: Awaited<ReturnType<typeof checkKey>>;
  try {
    me = await checkKey({ baseUrl, apiKey });
  } catch (error) {
    spin.error('The key did not work');
    throw error;
  }
  spin.stop(describeConnection(me, baseUrl));
  const path = await saveCredentials({ baseUrl, apiKey });
  p.outro(`Saved to ${path}. Try \`llmlab status\`.`);
}
