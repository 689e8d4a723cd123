import { type Command, Option } from 'commander';
import {
  choiceList,
  expiryInstant,
  hourlyUsd,
  KEY_PROVIDERS,
  KEY_SCOPES,
  nameList,
  positiveInt,
  RATE_LIMIT_PER,
  scopeValue,
  usdAmount,
} from './parsers.js';
import { examples } from './read-commands.js';

export function defineKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description("list the project's API keys with their limits; create one")
    .addHelpText('after', examples('llmlab keys', 'llmlab keys create backend --budget 5 --rpm 10 --models gpt-4o-mini'));
  // The default subcommand, so that `keys create x --json` is create's --json.
  keys
    .command('list', { isDefault: true })
    .description('list the keys: prefix, scopes, models, providers, expiry, rate limit and budget spent (the default)')
    .option('--json', 'print the keys as JSON')
    .action(async (opts) => (await import('../commands/keys.js')).listKeys(opts));
  keys
    .command('create')
    .description('create an API key, with limits of its own if given, and print it (shown this once)')
    .argument('<name>', 'what the key is for, such as "search backend"')
    .option('--scopes <list>', `comma list of ${KEY_SCOPES.join(', ')}`, choiceList(KEY_SCOPES), ['ingest', 'read'])
    .option('--budget <usd>', "the key's own budget, hard: calls are refused once it is spent", usdAmount)
    .addOption(new Option('--period <period>', 'the period of the budget').choices(['daily', 'weekly', 'monthly']))
    .option('--rpm <n>', 'requests a minute the key may send', positiveInt)
    .option('--tpm <n>', 'tokens a minute the key may use', positiveInt)
    .option('--models <list>', 'comma list of the only models the key may call', nameList)
    .option('--providers <list>', `comma list of the only providers the key may call (${KEY_PROVIDERS.join(', ')})`, choiceList(KEY_PROVIDERS))
    .option('--expires <date>', 'from this day (UTC) or ISO 8601 instant on, the key is refused', expiryInstant)
    .option('--json', 'print the key, the secret included, as JSON')
    .addHelpText(
      'after',
      examples('llmlab keys create ci --scopes ingest', 'llmlab keys create team-a --budget 50 --period weekly --rpm 60 --expires 2026-12-31'),
    )
    .action(async (name, opts) => (await import('../commands/keys.js')).createKey(name, opts));
}

export function defineLimits(program: Command): void {
  const limits = program
    .command('limits')
    .description("list the project's rate limits; create or delete one")
    .addHelpText('after', examples('llmlab limits', 'llmlab limits create --rpm 10 --per end_user', 'llmlab limits delete rl_123'));
  limits
    .command('list', { isDefault: true })
    .description('list the rate limits, oldest first (the default)')
    .option('--json', 'print the rate limits as JSON')
    .action(async (opts) => (await import('../commands/limits.js')).listLimits(opts));
  limits
    .command('create')
    .description('create a rate limit: at least one of --rpm, --tpm and --cost-per-hour')
    .option('--name <name>', 'a name to recognise it by')
    .option('--rpm <n>', 'requests a minute', positiveInt)
    .option('--tpm <n>', 'tokens a minute (the prompt estimate plus max output, counted before the call)', positiveInt)
    .option('--cost-per-hour <usd>', 'USD an hour (the most each call can cost, counted before the call)', hourlyUsd)
    .addOption(new Option('--per <dimension>', 'give each value of this its own window').choices(RATE_LIMIT_PER))
    .option('--provider <name>', 'count only calls to this provider', scopeValue)
    .option('--model <name>', 'count only calls to this model', scopeValue)
    .option('--feature <name>', 'count only calls of this feature', scopeValue)
    .option('--end-user <id>', 'count only calls of this end user', scopeValue)
    .option('--key <id>', 'count only calls sent with this API key id', scopeValue)
    .option('--json', 'print the rate limit as JSON')
    .addHelpText('after', examples('llmlab limits create --name per-customer --rpm 10 --per end_user', 'llmlab limits create --model gpt-4o --cost-per-hour 5'))
    .action(async (opts) => (await import('../commands/limits.js')).createLimit(opts));
  limits
    .command('delete')
    .description('delete a rate limit; calls it held back go through again')
    .argument('<id>', 'the rate limit id (see `llmlab limits`)', scopeValue)
    .addHelpText('after', examples('llmlab limits delete rl_123'))
    .action(async (id) => (await import('../commands/limits.js')).deleteLimit(id));
}
