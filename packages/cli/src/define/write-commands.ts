import { type Command, Option } from 'commander';
import { examples } from './read-commands.js';
import { percentage, positiveInt, retentionDays, scopeValue, tagPair, tokenCount, usdAmount } from './parsers.js';

export function defineInit(program: Command): void {
  program
    .command('init')
    .description('connect to an LLMLab server and save the API key to ~/.llmlab/config.json')
    .option('--base-url <url>', 'server address (default: http://127.0.0.1:8787, or LLMLAB_BASE_URL)')
    .option('--api-key <key>', 'project API key (or LLMLAB_API_KEY)')
    .option('--email <email>', 'log in (or sign up with --signup) with this email instead of a key')
    .option('--password <password>', 'password for --email')
    .option('--signup', 'create an account with --email and --password')
    .option('--non-interactive', 'never prompt; fail when something is missing')
    .addHelpText(
      'after',
      examples(
        'llmlab init',
        'llmlab init --base-url https://llmlab.example.com --api-key llmlab_...',
        'LLMLAB_API_KEY=llmlab_... llmlab init --non-interactive',
      ),
    )
    .action(async (opts) => (await import('../commands/init.js')).initialize(opts));
}

export function defineBudget(program: Command): void {
  const budget = program
    .command('budget')
    .description('set a budget with --amount; without it, list budgets and their status')
    // With the program's positional options: `budget usage x --json` is usage's --json, not this one's.
    .enablePositionalOptions()
    .option('--amount <usd>', 'budget amount in USD', usdAmount)
    .addOption(new Option('--period <period>', 'budget period').choices(['daily', 'weekly', 'monthly']))
    .option('--hard-limit', 'block calls through the proxy once the budget is spent')
    .option('--no-hard-limit', 'only alert when the budget is spent')
    .option('--alert-threshold <percent>', 'percentage at which the budget is flagged (default 80)', percentage)
    .addOption(
      new Option('--per <dimension>', 'a template: each end user, API key or feature gets its own budget of --amount').choices([
        'end_user',
        'api_key',
        'feature',
      ]),
    )
    .option('--scope-provider <provider>', 'count only this provider')
    .option('--scope-model <model>', 'count only this model')
    .option('--scope-feature <feature>', 'count only this feature')
    .option('--end-user <id>', 'count only calls of this end user (user_id)', scopeValue)
    .option('--api-key-id <id>', 'count only calls sent with this API key (its id)', scopeValue)
    .option('--tag <key=value>', 'count only calls carrying this tag; repeat for more', tagPair)
    .option('--name <name>', 'a name for the budget')
    .option('--json', 'print budgets as JSON')
    .addHelpText(
      'after',
      examples(
        'llmlab budget --amount 100',
        'llmlab budget --amount 20 --period daily --scope-feature chat --hard-limit',
        'llmlab budget --per end_user --amount 5 --name "Each customer"',
        'llmlab budget --amount 50 --tag team=search --tag env=prod',
        'llmlab budget',
        'llmlab budget usage "Each customer"',
      ),
    )
    .action(async (opts) => (await import('../commands/budget.js')).manageBudgets(opts));
  budget
    .command('usage')
    .description("list a template budget's values (each end user, key or feature) with spend, remaining and state")
    .argument('<budget>', 'the budget id or name (see `llmlab budget`)')
    .option('--limit <n>', 'values to show, highest spend first', positiveInt, 20)
    .option('--value <value>', 'only this end user, key id or feature', scopeValue)
    .option('--json', 'print the values as JSON')
    .addHelpText('after', examples('llmlab budget usage "Each customer"', 'llmlab budget usage <id> --limit 100 --json'))
    .action(async (id, opts) => (await import('../commands/budget-usage.js')).showBudgetUsage(id, opts));
}

export function defineTrack(program: Command): void {
  program
    .command('track')
    .description('record one LLM call by hand')
    .requiredOption('--provider <provider>', 'provider, e.g. openai, anthropic, google')
    .requiredOption('--model <model>', 'model, e.g. gpt-4o')
    .requiredOption('--input-tokens <n>', 'input (prompt) tokens, cached ones included', tokenCount)
    .requiredOption('--output-tokens <n>', 'output (completion) tokens, reasoning included', tokenCount)
    .option('--cached-input-tokens <n>', 'input tokens read from the provider cache', tokenCount)
    .option('--reasoning-tokens <n>', 'output tokens spent on reasoning', tokenCount)
    .option('--feature <feature>', 'feature the call served')
    .option('--user <id>', 'your end user the call was for')
    .option('--event-id <id>', 'idempotency key: re-sending it records nothing new')
    .option('--json', 'print the server answer as JSON')
    .addHelpText('after', examples('llmlab track --provider openai --model gpt-4 --input-tokens 1000 --output-tokens 500'))
    .action(async (opts) => (await import('../commands/track.js')).trackEvent(opts));
}

export function defineConfig(program: Command): void {
  const config = program
    .command('config')
    .description('show settings (API key masked); get, set or unset one')
    .option('--json', 'print settings as JSON')
    .addHelpText(
      'after',
      examples('llmlab config', 'llmlab config set base_url https://llmlab.example.com', 'llmlab config get api_key --reveal'),
    )
    .action(async (opts) => (await import('../commands/config.js')).showConfig(opts));
  config
    .command('get <key>')
    .description('print one setting: base_url, api_key or timezone')
    .option('--reveal', 'print the API key in full')
    .addHelpText('after', examples('llmlab config get base_url'))
    .action(async (key, opts) => (await import('../commands/config.js')).getConfig(key, opts));
  config
    .command('set <key> <value>')
    .description('save one setting: base_url, api_key or timezone')
    .addHelpText('after', examples('llmlab config set timezone Europe/Paris'))
    .action(async (key, value) => (await import('../commands/config.js')).setConfig(key, value));
  config
    .command('unset <key>')
    .description('remove one setting from the config file')
    .addHelpText('after', examples('llmlab config unset timezone'))
    .action(async (key) => (await import('../commands/config.js')).unsetConfig(key));
  config
    .command('retention')
    .description("show or set how many days the key's project keeps raw events on the server (hourly totals are always kept)")
    .argument('[days]', 'days to keep, 1 to 3650, or off to keep them forever', retentionDays)
    .option('--apply', 'remove the expired raw events now instead of within the hour')
    .option('--json', 'print the project (and what --apply removed) as JSON')
    .addHelpText('after', examples('llmlab config retention', 'llmlab config retention 30', 'llmlab config retention 90 --apply', 'llmlab config retention off'))
    .action(async (days, opts) => (await import('../commands/retention.js')).manageRetention(days, opts));
}

export function defineServe(program: Command): void {
  program
    .command('serve')
    .description('run the LLMLab server and dashboard in the foreground (same as npm start)')
    .option('--port <port>', 'port to listen on (default 8787, or PORT)', positiveInt)
    .option('--host <host>', 'address to listen on (default 127.0.0.1, or HOST)')
    .option('--db <url-or-path>', 'database: a SQLite file path or a postgres:// URL (default ./.llmlab/llmlab.db)')
    .addHelpText('after', examples('llmlab serve', 'llmlab serve --port 9000 --db ./data/llmlab.db', 'llmlab serve --db postgres://localhost/llmlab'))
    .action(async (opts) => (await import('../commands/serve.js')).serve(opts));
}
