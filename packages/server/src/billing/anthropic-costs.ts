import { decimalToNanos, DAY_MS } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { type BillDay, checkCurrency, collectDays, type DayRange, malformed, readAllPages } from './read-provider-bill.js';

/** The API version the cost report is read with. */
export const ANTHROPIC_VERSION = '2023-06-01';

const Page = z.object({
  data: z.array(
    z.object({
      starting_at: z.string(),
      results: z.array(
        z.object({
          amount: z.string(),
          currency: z.string().nullish(),
          description: z.string().nullish(),
          model: z.string().nullish(),
          cost_type: z.string().nullish(),
          token_type: z.string().nullish(),
          service_tier: z.string().nullish(),
        }),
      ),
    }),
  ),
  has_more: z.boolean().nullish(),
  next_page: z.string().nullish(),
});

/**
 * Anthropic's costs per UTC day and description (`GET /v1/organizations/cost_report`, grouped by
 * description), every page. `amount` is a decimal string of cents, converted on its digits.
 */
export async function readAnthropicCosts(ctx: AppContext, adminKey: string, range: DayRange): Promise<BillDay[]> {
  const days = Math.round((range.to - range.from) / DAY_MS);
  const pages = await readAllPages(
    'anthropic',
    (page) => {
      const url = new URL(`${ctx.config.anthropicBaseUrl}/v1/organizations/cost_report`);
      url.searchParams.set('starting_at', new Date(range.from).toISOString().replace('.000Z', 'Z'));
      url.searchParams.set('ending_at', new Date(range.to).toISOString().replace('.000Z', 'Z'));
      url.searchParams.set('bucket_width', '1d');
      url.searchParams.append('group_by[]', 'description');
      url.searchParams.set('limit', String(Math.min(days, 31)));
      if (page) url.searchParams.set('page', page);
      return url;
    },
    { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION },
    (body) => {
      const parsed = Page.safeParse(body);
      if (!parsed.success) throw malformed('anthropic', parsed.error.issues[0]?.path.join('.') || 'body');
      return parsed.data;
    },
  );
  const entries = pages.flatMap((p) =>
    p.data.flatMap((bucket) => {
      const start = Date.parse(bucket.starting_at);
      if (Number.isNaN(start)) throw malformed('anthropic', `starting_at ${JSON.stringify(bucket.starting_at)}`);
      return bucket.results.map((r) => {
        checkCurrency('anthropic', r.currency);
        let amount: number;
        try {
          amount = decimalToNanos(r.amount, 2);
        } catch {
          throw malformed('anthropic', `amount ${JSON.stringify(r.amount)}`);
        }
        const lineItem = r.description ?? ([r.model, r.cost_type, r.token_type, r.service_tier].filter(Boolean).join(', ') || '(no description)');
        return { day: Math.floor(start / DAY_MS) * DAY_MS, line: { line_item: lineItem, model: r.model ?? '', amount_nanos: amount } };
      });
    }),
  );
  return collectDays(range, entries);
}
