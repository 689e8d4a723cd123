import { CONFIG_KEYS, type ConfigKey, configPath, isConfigKey, loadConfig, maskKey, resolveSetting, saveConfig, validateSetting } from '../config-file.js';
import { usageError } from '../errors.js';
import { paint } from '../output/colors.js';
import { printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';

function checkKey(key: string): ConfigKey {
  // Retention is the project's, kept by the server: it has its own command.
  if (/^retention(_days)?$/.test(key)) throw usageError('Retention is a setting of the project on the server; use `llmlab config retention 30` (or off).');
  if (!isConfigKey(key)) throw usageError(`"${key}" is not a setting; use one of ${CONFIG_KEYS.join(', ')}.`);
  return key;
}

function display(key: ConfigKey, value: string | undefined, reveal = false): string | undefined {
  return key === 'api_key' && value && !reveal ? maskKey(value) : value;
}

export async function showConfig(options: { json?: boolean }): Promise<void> {
  const settings = await Promise.all(CONFIG_KEYS.map(async (key) => ({ key, ...(await resolveSetting(key)) })));
  if (options.json) {
    printJson({
      path: configPath(),
      settings: Object.fromEntries(settings.map((s) => [s.key, { value: display(s.key, s.value) ?? null, source: s.source }])),
    });
    return;
  }
  const c = paint();
  const sourceLabel = { flag: 'flag', env: 'environment', file: 'config file', default: 'default', unset: '' };
  const rows = settings.map((s) => [s.key, display(s.key, s.value) ?? c.dim('(not set)'), c.dim(sourceLabel[s.source])]);
  process.stdout.write(`${c.dim(`Config file: ${configPath()}`)}\n${renderTable(rows, { head: ['Setting', 'Value', 'From'] })}\n`);
}

export async function getConfig(key: string, options: { reveal?: boolean }): Promise<void> {
  const name = checkKey(key);
  const setting = await resolveSetting(name);
  if (setting.value === undefined) {
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`${display(name, setting.value, options.reveal)}\n`);
}

export async function setConfig(key: string, value: string): Promise<void> {
  const name = checkKey(key);
  const config = await loadConfig();
  config[name] = validateSetting(name, value);
  const path = await saveConfig(config);
  process.stdout.write(`${paint().green('✔')} Saved ${name} = ${display(name, config[name])} to ${path}\n`);
}

export async function unsetConfig(key: string): Promise<void> {
  const name = checkKey(key);
  const config = await loadConfig();
  delete config[name];
  const path = await saveConfig(config);
  process.stdout.write(`${paint().green('✔')} Removed ${name} from ${path}\n`);
}
