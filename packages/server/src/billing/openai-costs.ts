import { decimalToNanos, DAY_MS, openaiLineModel, usdNumberToNanos } from '@llmlab/core';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { type BillDay, checkCurrency, collectDays, type DayRange, malformed, readAllPages } from './read-provider-bill.js';

const Page = z.object({
  data: z.array(
    z.object({
      start_time: z.number(),
      results: z.array(
        z.object({
          amount: z.object({ value: z.union([z.number(), z.string()]), currency: z.string().nullish() }),
          line_item: z.string().nullish(),
        }),
      ),
    }),
  ),
  has_more: z.boolean().nullish(),
  next_page: z.string().nullish(),
});

/**
 * OpenAI's costs per UTC day and line item (`GET /v1/organization/costs`, grouped by line_item),
 * every page. `value` is USD as a JSON number, read from its decimal form (usdNumberToNanos).
 */
export async function readOpenaiCosts(ctx: AppContext, adminKey: string, range: DayRange): Promise<BillDay[]> {
  const days = Math.round((range.to - range.from) / DAY_MS);
  const pages = await readAllPages(
    'openai',
    (page) => {
      const url = new URL(`${ctx.config.openaiBaseUrl}/v1/organization/costs`);
      url.searchParams.set('start_time', String(range.from / 1000));
      url.searchParams.set('end_time', String(range.to / 1000));
      url.searchParams.set('bucket_width', '1d');
      url.searchParams.append('group_by[]', 'line_item');
      url.searchParams.set('limit', String(Math.min(days, 180)));
      if (page) url.searchParams.set('page', page);
      return url;
    },
    { authorization: `Bearer ${adminKey}` },
    (body) => {
      const parsed = Page.safeParse(body);
      if (!parsed.success) throw malformed('openai', parsed.error.issues[0]?.path.join('.') || 'body');
      return parsed.data;
    },
  );
  const entries = pages.flatMap((p) =>
    p.data.flatMap((bucket) =>
      bucket.results.map((r) => {
        checkCurrency('openai', r.amount.currency);
        const lineItem = r.line_item ?? '(no line item)';
        let amount: number;
        try {
          amount = typeof r.amount.value === 'number' ? usdNumberToNanos(r.amount.value) : decimalToNanos(r.amount.value, 0);
        } catch {
          throw malformed('openai', `amount.value ${JSON.stringify(r.amount.value)}`);
        }
        return { day: Math.floor((bucket.start_time * 1000) / DAY_MS) * DAY_MS, line: { line_item: lineItem, model: openaiLineModel(lineItem), amount_nanos: amount } };
      }),
    ),
  );
  return collectDays(range, entries);
}
