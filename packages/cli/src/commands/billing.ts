import { connect } from '../api.js';
import { paint } from '../output/colors.js';
import { formatMoney, formatPercent, printJson } from '../output/format.js';
import { renderTable } from '../output/table.js';
import type { Reconciliation, ReconcileResult } from '../wire.js';

export interface BillingOptions {
  from?: string;
  to?: string;
  provider?: 'openai' | 'anthropic';
  sync?: boolean;
  json?: boolean;
}

const NAMES: Record<string, string> = { openai: 'OpenAI', anthropic: 'Anthropic' };

const signed = (usd: number) => `${usd > 0 ? '+' : ''}${formatMoney(usd)}`;

/**
 * `llmlab billing`: what each connected provider billed against what LLMLab tracked, per UTC day
 * (GET /api/billing/reconciliation); with --sync, reads the bills first (POST /api/billing/reconcile, admins).
 */
export async function showBilling(options: BillingOptions): Promise<void> {
  const client = await connect();
  const range = { from: options.from, to: options.to };
  const synced = options.sync ? await client.post<ReconcileResult>('/api/billing/reconcile', { ...range, provider: options.provider }) : undefined;
  const answer = synced?.reconciliation ?? (await client.get<Reconciliation>('/api/billing/reconciliation', range));
  const providers = answer.providers.filter((p) => !options.provider || p.provider === options.provider);
  const days = answer.days.filter((d) => providers.some((p) => p.provider === d.provider));
  if (options.json) {
    printJson(synced ? { ...synced, reconciliation: { ...answer, providers, days } } : { ...answer, providers, days });
    return;
  }
  process.stdout.write(`${renderBilling({ ...answer, providers, days }, synced)}\n`);
}

export function renderBilling(r: Reconciliation, synced?: ReconcileResult): string {
  const c = paint();
  const lines = [c.bold(`LLMLab billing reconciliation · ${r.from} to ${r.to} (UTC days)`), ''];
  if (synced) {
    lines.push(`${c.green('✔')} Read ${synced.synced.map((s) => `${NAMES[s.provider]} (${s.days} days, ${formatMoney(s.billed)})`).join(', ')}${synced.alerts_fired ? `; ${synced.alerts_fired} alert(s) fired` : ''}.`, '');
  }
  if (r.providers.length === 0) {
    lines.push('No provider bill is connected. An admin stores the provider organization\'s admin key on the dashboard\'s Billing page (or PUT /api/billing/connections/{openai|anthropic}).');
    return lines.join('\n');
  }
  lines.push(
    renderTable(
      r.providers.map((p) => [NAMES[p.provider], p.billed === null ? 'no bill read' : `${formatMoney(p.billed)} billed`, `${formatMoney(p.tracked)} tracked`, `${p.days_billed} days billed`]),
      { align: ['left', 'right', 'right', 'right'] },
    ),
  );
  for (const p of r.providers) {
    if (p.untracked_nanos > 0) lines.push('', c.yellow(`${formatMoney(p.untracked)} billed by ${NAMES[p.provider]} that LLMLab never saw: calls outside the SDK and proxy, or other projects on the same provider organization.`));
  }
  const shown = r.days.filter((d) => d.billed !== null || d.tracked_nanos !== 0);
  if (shown.length) {
    lines.push('');
    lines.push(
      renderTable(
        shown.map((d) => [
          d.date,
          NAMES[d.provider],
          formatMoney(d.tracked),
          d.billed === null ? c.dim('not read') : formatMoney(d.billed),
          d.difference === null ? '' : `${signed(d.difference)}${d.difference_pct === null ? '' : ` (${formatPercent(d.difference_pct)})`}`,
          d.settled ? 'settled' : c.yellow('not settled'),
        ]),
        { head: ['Day', 'Provider', 'Tracked', 'Billed', 'Billed − tracked', ''], align: ['left', 'left', 'right', 'right', 'right', 'left'] },
      ),
    );
  }
  lines.push('', c.dim('A day settles 48 hours after it ends; until then the provider may still add to it.'));
  return lines.join('\n');
}
