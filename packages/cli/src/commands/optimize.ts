import { connect } from '../api.js';
import { resolveSetting } from '../config-file.js';
import { CliError } from '../errors.js';
import { paint } from '../output/colors.js';
import { formatMoney, formatPercent, printJson } from '../output/format.js';
import type { Recommendation } from '../wire.js';

/** GET /api/recommendations answers a list, or the list under `recommendations`. */
type RecommendationsBody = Recommendation[] | { recommendations: Recommendation[] };

export async function fetchRecommendations(tzFlag?: string): Promise<Recommendation[]> {
  const [client, tz] = await Promise.all([connect(), resolveSetting('timezone', tzFlag)]);
  const body = await client.getOptional<RecommendationsBody>('/api/recommendations', { tz: tz.value });
  if (body === null) throw new CliError(`The server at ${client.baseUrl} does not offer recommendations; update it to a newer LLMLab.`);
  return Array.isArray(body) ? body : body.recommendations;
}

export async function showRecommendations(options: { json?: boolean; tz?: string }): Promise<void> {
  const recommendations = await fetchRecommendations(options.tz);
  if (options.json) {
    printJson(recommendations);
    return;
  }
  process.stdout.write(`${renderRecommendations(recommendations)}\n`);
}

export function renderRecommendations(recommendations: Recommendation[]): string {
  const c = paint();
  if (recommendations.length === 0) {
    return 'No recommendations: there is not enough tracked usage to compare yet. Track some calls and run `llmlab optimize` again.';
  }
  const sorted = [...recommendations].sort((a, b) => b.estimated_monthly_savings - a.estimated_monthly_savings);
  const total = sorted.reduce((sum, r) => sum + r.estimated_monthly_savings, 0);
  const lines = [c.bold(c.cyan('Ways to spend less')), ''];
  sorted.forEach((r, i) => {
    const percent = r.savings_percentage == null ? '' : ` (${formatPercent(r.savings_percentage, 0)})`;
    lines.push(`${c.bold(`${i + 1}. ${r.title}`)}`);
    lines.push(
      `   ${c.green(`save ${formatMoney(r.estimated_monthly_savings)}/month${percent}`)}${c.dim(` · confidence ${formatConfidence(r.confidence)}`)}`,
    );
    if (r.description) lines.push(`   ${r.description}`);
    if (r.action) lines.push(`   ${c.cyan('→')} ${r.action}`);
    lines.push('');
  });
  lines.push(c.bold(`Estimated total: ${c.green(`${formatMoney(total)}/month`)}`));
  lines.push(c.dim('Savings overlap when several apply to the same calls; each is measured on the last 30 days.'));
  return lines.join('\n');
}

/** Confidence is a 0-1 share on the wire. */
function formatConfidence(confidence: Recommendation['confidence']): string {
  return formatPercent(confidence * 100, 0);
}
