import { describe, expect, it } from 'vitest';
import { cliUserWithEvents, useServerProcess } from './helpers.js';

const server = useServerProcess();

/**
 * An experiment of the last minutes: variant A, six gpt-4 calls of 1,000 to 3,000 input tokens
 * ($0.03 to $0.09, $0.06 a call, 1,000 to 600 ms); variant B, six gpt-4o-mini calls of 100 to 300
 * ($0.000015 to $0.000045, $0.00003 a call, 100 ms), one of which failed.
 */
async function userWithExperiment() {
  const sizes = [1000, 1000, 2000, 2000, 3000, 3000];
  const at = (i: number) => new Date(Date.now() - (i + 1) * 60_000).toISOString();
  const events = [
    ...sizes.map((input, i) => ({ provider: 'openai', model: 'gpt-4', input_tokens: input, output_tokens: 0, latency_ms: 1000 - 80 * i, tags: { variant: 'A' }, timestamp: at(i) })),
    ...sizes.map((input, i) => ({
      provider: 'openai', model: 'gpt-4o-mini', input_tokens: input / 10, output_tokens: 0, latency_ms: 100, tags: { variant: 'B' }, timestamp: at(i),
      ...(i === 0 ? { status: 'error' } : {}),
    })),
  ];
  return cliUserWithEvents(server.baseUrl, events);
}

describe('llmlab compare', () => {
  it('prints both arms of a tag and the verdict', async () => {
    const user = await userWithExperiment();
    const { code, stdout, stderr } = await user.run(['compare', '--tag', 'variant', 'A', 'B']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^LLMLab compare · tag variant, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\n/);
    expect(stdout).toMatch(/A: A\s+B: B\n/);
    expect(stdout).toMatch(/Calls\s+6\s+6\n/);
    expect(stdout).toMatch(/Cost\s+\$0\.36\s+\$0\.00018\n/);
    expect(stdout).toMatch(/Cost per call\s+\$0\.06\s+\$0\.00003\n/);
    expect(stdout).toMatch(/Latency p50 \/ p95\s+760 \/ 1,000 ms\s+100 \/ 100 ms\n/);
    expect(stdout).toMatch(/95% interval\s+\$0\.03184 to \$0\.08816\s+\$0\.00001592 to \$0\.00004408\n/);
    expect(stdout).toMatch(/Error rate\s+0\.0%\s+16\.7%\n/);
    expect(stdout).toMatch(/B − A per call\s+-\$0\.05997 \(-100\.0%\)\s+95% interval -\$0\.08813 to -\$0\.03181\n/);
    expect(stdout).toContain('✔ B is cheaper per call.\n"B" costs $0.05997 less per call than "A" (100% less); the 95% interval of the saving');
  });

  it('prints the comparison as JSON, and compares models', async () => {
    const user = await userWithExperiment();
    const json = JSON.parse((await user.run(['compare', '--model', 'gpt-4', 'gpt-4o-mini', '--json'])).stdout);
    expect(json).toMatchObject({ dimension: 'model', verdict: 'b_cheaper', a: { value: 'gpt-4', calls: 6, cost_per_call: { mean: 0.06 } }, b: { value: 'gpt-4o-mini', calls: 6, errors: 1 } });
  });

  it('says what to compare when no dimension or two are given', async () => {
    const user = await userWithExperiment();
    const none = await user.run(['compare', 'A', 'B']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('Error: Say what a and b are: --tag <name> (e.g. --tag variant A B), --model or --feature.\n');
    const two = await user.run(['compare', '--model', '--feature', 'A', 'B']);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe('Error: Compare one thing at a time: give only one of --tag <name>, --model or --feature.\n');
  });
});
