import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { CliError } from '../errors.js';
import { paintStderr } from '../output/colors.js';
import { formatCount } from '../output/format.js';
import { readEnvironment } from '../settings.js';
import { resolveTimeRange } from '../time-range.js';

export interface ExportOptions {
  from?: string;
  to?: string;
  format: 'csv' | 'json';
  output?: string;
  provider?: string;
  model?: string;
  feature?: string;
  tz?: string;
}

interface Progress {
  bytes: number;
  lines: number;
}

export async function exportEvents(options: ExportOptions): Promise<void> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', options.tz)]);
  const { from, to } = await resolveTimeRange(options, tz.value as string);
  const response = await client.open('/api/export', {
    format: options.format,
    from,
    to,
    provider: options.provider,
    model: options.model,
    feature: options.feature,
  });
  const progress: Progress = { bytes: 0, lines: 0 };
  const since = response.headers['x-llmlab-raw-events-since'];
  if (typeof since === 'string') {
    // On stderr: the data on stdout stays exactly the file.
    process.stderr.write(`${paintStderr().yellow('!')} Events before ${since} were removed by the project's retention: the export starts there (\`llmlab status\` totals still include them).\n`);
  }
  const spinner = await startSpinner(options, progress);
  try {
    await writeBody(response, options.output, progress);
  } catch (error) {
    spinner?.fail('Export failed');
    throw error;
  } finally {
    spinner?.stop();
  }
  reportDone(options, progress);
}

function counter(progress: Progress): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      progress.bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) progress.lines++;
      done(null, chunk);
    },
  });
}

async function writeBody(source: IncomingMessage, file: string | undefined, progress: Progress): Promise<void> {
  if (!file) {
    try {
      await pipeline(source, counter(progress), process.stdout as Writable, { end: false });
    } catch (error) {
      // The reader went away (`| head`): not a failure of the export.
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
    }
    return;
  }
  // Write beside the target and rename at the end, so a failed export never leaves half a file.
  const partial = `${file}.partial`;
  try {
    await pipeline(source, counter(progress), createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new CliError(`Cannot write ${file} (${code}); check that its folder exists and is writable.`);
    }
    throw error;
  }
}

/** A spinner on stderr, only when stderr is a terminal that the data itself is not going to. */
async function startSpinner(options: ExportOptions, progress: Progress) {
  const env = readEnvironment();
  if (!env.stderrIsTTY || (!options.output && env.stdoutIsTTY)) return undefined;
  const { default: ora } = await import('ora');
  const spinner = ora({ text: 'Exporting…', stream: process.stderr }).start();
  const timer = setInterval(() => {
    spinner.text = `Exporting… ${describe(options, progress)}`;
  }, 100);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      spinner.stop();
    },
    fail: (text: string) => {
      clearInterval(timer);
      spinner.fail(text);
    },
  };
}

function describe(options: ExportOptions, progress: Progress): string {
  const size = progress.bytes >= 1_048_576 ? `${(progress.bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(progress.bytes / 1024)} KB`;
  if (options.format === 'csv') return `${formatCount(Math.max(0, progress.lines - 1))} events, ${size}`;
  return size;
}

function reportDone(options: ExportOptions, progress: Progress): void {
  if (!options.output) return;
  const c = paintStderr();
  process.stderr.write(`${c.green('✔')} Exported ${describe(options, progress)} to ${options.output}\n`);
}
