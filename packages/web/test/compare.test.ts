import { describe, expect, it } from 'vitest';
import { openPage, trackBatch, useDashboard } from './harness';

const d = useDashboard();

describe('the Compare page in a real browser', () => {
  it('compares two variants of a tag: both arms\' cost per call and the verdict', async () => {
    // Variant A: six gpt-4 calls of 1,000 to 3,000 input tokens, $0.06 a call on average;
    // variant B: six gpt-4o-mini calls of 100 to 300, $0.00003 a call.
    const sizes = [1000, 1000, 2000, 2000, 3000, 3000];
    const at = (i: number) => new Date(Date.now() - (i + 1) * 60_000).toISOString();
    const tracked = await trackBatch(d, d.apiKey, [
      ...sizes.map((input, i) => ({ provider: 'openai', model: 'gpt-4', input_tokens: input, output_tokens: 0, latency_ms: 900, tags: { variant: 'A' }, timestamp: at(i) })),
      ...sizes.map((input, i) => ({ provider: 'openai', model: 'gpt-4o-mini', input_tokens: input / 10, output_tokens: 0, latency_ms: 300, tags: { variant: 'B' }, timestamp: at(i) })),
    ]);
    expect(tracked.reduce((s, e) => s + (e.cost_nanos ?? 0), 0)).toBe(360_000_000 + 180_000);

    const page = await openPage(d, '/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Compare' }).click();
    await page.getByRole('heading', { name: 'Compare' }).waitFor();
    const form = page.getByRole('form', { name: 'What to compare' });
    await form.getByLabel('Compare by').selectOption('tag');
    await form.getByLabel('Tag name').fill('variant');
    await form.getByLabel('A', { exact: true }).fill('A');
    await form.getByLabel('B', { exact: true }).fill('B');
    await form.getByRole('button', { name: 'Compare' }).click();

    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.getAttribute('data-verdict')).toBe('b_cheaper');
    expect(await page.getByTestId('verdict-title').textContent()).toBe('B is cheaper per call');
    expect(await page.getByTestId('verdict-reason').textContent()).toMatch(/^"B" costs \$0\.05997 less per call than "A" \(100% less\); the 95% interval of the saving/);
    expect(await page.getByTestId('arm-a-cost-per-call').textContent()).toBe('$0.06');
    expect(await page.getByTestId('arm-b-cost-per-call').textContent()).toBe('$0.00003');
    expect(await page.getByTestId('arm-a-calls').textContent()).toBe('6');
    expect(await page.getByTestId('arm-b-calls').textContent()).toBe('6');
    expect(await page.getByTestId('arm-a').textContent()).toContain('95% interval $0.031841 to $0.088159');
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('dimension'), url.searchParams.get('a'), url.searchParams.get('b')]).toEqual(['/compare', 'tag:variant', 'A', 'B']);

    // The same view from a shared link, by model this time.
    const byModel = await openPage(d, '/compare?dimension=model&a=gpt-4&b=gpt-4o-mini');
    await byModel.getByTestId('verdict').waitFor();
    expect(await byModel.getByTestId('verdict-title').textContent()).toBe('gpt-4o-mini is cheaper per call');
    await byModel.close();
    await page.close();
  });
});
