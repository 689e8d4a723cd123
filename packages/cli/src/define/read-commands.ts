import { type Command, Option } from 'commander';
import { calendarDate, dateOrInstant, positiveInt, timeZone } from './parsers.js';

/** Help text after the options: one or more examples a user can paste. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

const tzOption = () =>
  new Option('--tz <zone>', 'time zone for days and months (default: the configured one, else this machine\'s)').argParser(
    timeZone,
  );

export function defineStatus(program: Command): void {
  program
    .command('status')
    .description('show spend: total, this month, today, by provider, by model, and the budget')
    .option('--days <n>', 'days the totals and breakdowns cover', positiveInt, 30)
    .addOption(tzOption())
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', examples('llmlab status', 'llmlab status --days 7 --tz Europe/Paris', 'llmlab status --json | jq .total_spend'))
    .action(async (opts) => (await import('../commands/status.js')).showStatus(opts));
}

export function defineOptimize(program: Command): void {
  program
    .command('optimize')
    .description('show recommendations to spend less, with their monthly savings in dollars')
    .option('--json', 'print the recommendations as JSON')
    .addOption(tzOption())
    .addHelpText('after', examples('llmlab optimize', 'llmlab optimize --json'))
    .action(async (opts) => (await import('../commands/optimize.js')).showRecommendations(opts));
}

export function defineForecast(program: Command): void {
  program
    .command('forecast')
    .description('project month-end spend against the budget')
    .option('--budget <id>', 'budget to compare with (default: the monthly budget for all spend)')
    .addOption(tzOption())
    .option('--exit-code', 'exit 0 when on track, 1 when projected over budget, 2 when already over')
    .option('--json', 'print the forecast as JSON')
    .addHelpText('after', examples('llmlab forecast', 'llmlab forecast --exit-code || echo "spend is off track"'))
    .action(async (opts) => (await import('../commands/forecast.js')).showForecast(opts));
}

export function defineWatch(program: Command): void {
  program
    .command('watch')
    .description('live view of spend with a chart of the last days; ctrl-c exits')
    .option('--interval <seconds>', 'seconds between refreshes', positiveInt, 5)
    .option('--days <n>', 'days in the chart', positiveInt, 14)
    .addOption(tzOption())
    .option('--once', 'render one frame and exit')
    .option('--json', 'print each refresh as one line of JSON')
    .addHelpText('after', examples('llmlab watch', 'llmlab watch --interval 10 --days 30', 'llmlab watch --once'))
    .action(async (opts) => (await import('../commands/watch.js')).watchSpend(opts));
}

export function defineExport(program: Command): void {
  program
    .command('export')
    .description('stream tracked events as CSV or JSON to a file or stdout')
    .option('--from <date>', 'first day or instant (YYYY-MM-DD or ISO 8601)', dateOrInstant)
    .option('--to <date>', 'last day, included (YYYY-MM-DD), or an instant (ISO 8601, excluded)', dateOrInstant)
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--provider <provider>', 'only this provider')
    .option('--model <model>', 'only this model')
    .option('--feature <feature>', 'only this feature')
    .addOption(tzOption())
    .addHelpText(
      'after',
      examples(
        'llmlab export -o events.csv',
        'llmlab export --from 2026-11-01 --to 2026-11-30 --format json -o november.json',
        'llmlab export --provider openai | head',
      ),
    )
    .action(async (opts) => (await import('../commands/export.js')).exportEvents(opts));
}

export function defineCompare(program: Command): void {
  program
    .command('compare')
    .description('which of two variants, models or features costs less per call, with 95% intervals and a verdict')
    .argument('<a>', 'the first value (the baseline)')
    .argument('<b>', 'the second value')
    .option('--tag <name>', 'compare two values of this tag (events tagged {name: a} against {name: b})')
    .option('--model', 'compare two models')
    .option('--feature', 'compare two features')
    .option('--from <date>', 'first day or instant (YYYY-MM-DD or ISO 8601; default: 30 days ago)', dateOrInstant)
    .option('--to <date>', 'last day, included (YYYY-MM-DD), or an instant (ISO 8601, excluded)', dateOrInstant)
    .addOption(tzOption())
    .option('--json', 'print the comparison as JSON')
    .addHelpText(
      'after',
      examples('llmlab compare --tag variant A B', 'llmlab compare --model gpt-4o gpt-4o-mini --from 2026-11-01', 'llmlab compare --feature chat search --json'),
    )
    .action(async (a, b, opts) => (await import('../commands/compare.js')).showComparison(a, b, opts));
}

export function defineBilling(program: Command): void {
  program
    .command('billing')
    .description("compare what OpenAI and Anthropic billed with what LLMLab tracked, per UTC day")
    .option('--from <date>', 'first UTC day (YYYY-MM-DD; default: 30 days ago, with --sync 3 days ago)', calendarDate)
    .option('--to <date>', 'last UTC day, included (YYYY-MM-DD; default: today)', calendarDate)
    .addOption(new Option('--provider <provider>', 'only this provider').choices(['openai', 'anthropic']))
    .option('--sync', "read the providers' bills now before comparing (admins)")
    .option('--json', 'print the comparison as JSON')
    .addHelpText('after', examples('llmlab billing', 'llmlab billing --sync', 'llmlab billing --from 2026-11-01 --to 2026-11-30 --json'))
    .action(async (opts) => (await import('../commands/billing.js')).showBilling(opts));
}

export function defineSessions(program: Command): void {
  program
    .command('sessions')
    .description('what each conversation or agent run cost; with an id, its calls in order')
    .argument('[id]', 'a session id: list its calls instead')
    .option('--days <n>', 'days the list covers', positiveInt, 30)
    .option('--from <date>', 'first day or instant (YYYY-MM-DD or ISO 8601)', dateOrInstant)
    .option('--to <date>', 'last day, included (YYYY-MM-DD), or an instant (ISO 8601, excluded)', dateOrInstant)
    .addOption(new Option('--sort <order>', 'most expensive or most recently active first').choices(['cost', 'recent']).default('cost'))
    .option('--limit <n>', 'sessions to list (at most 500)', positiveInt, 20)
    .option('--user <id>', 'only the calls of this end user')
    .addOption(tzOption())
    .option('--json', 'print the answer as JSON')
    .addHelpText('after', examples('llmlab sessions', 'llmlab sessions --sort recent --days 1', 'llmlab sessions run-42'))
    .action(async (id, opts) => (await import('../commands/sessions.js')).showSessions(id, opts));
}
