import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GroupBy, Timeseries } from '../../api/types';
import { formatUsd } from '../../components/format';
import { PALETTE, toChartData } from './chart-data';

const GROUP_NOUN: Record<GroupBy, string> = { model: 'model', provider: 'provider', feature: 'feature', user: 'end user', api_key: 'API key', service_tier: 'service tier' };

function shortDate(bucket: string): string {
  const [, m, d] = bucket.split('-');
  return m && d ? `${d}/${m}` : bucket;
}

/** `names` labels the legend where a series' key is not readable (an API key's id). */
export function SpendChart({ data, groupBy, names }: { data: Timeseries; groupBy: GroupBy; names?: ReadonlyMap<string, string> }) {
  const chart = toChartData(data);
  const label = `Daily spend stacked by ${GROUP_NOUN[groupBy]}: ${formatUsd(chart.total)} in total across ${chart.keys.length} ${GROUP_NOUN[groupBy]}s`;
  return (
    <figure className="chart" data-testid="spend-chart" data-series={chart.keys.join('|')}>
      <div role="img" aria-label={label} className="chart-area">
        <ResponsiveContainer width="100%" height={300}>
          <BarChart data={chart.rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="bucket" tickFormatter={shortDate} tick={{ fontSize: 12 }} minTickGap={16} />
            <YAxis tickFormatter={(v: number) => formatUsd(v)} tick={{ fontSize: 12 }} width={80} />
            <Tooltip formatter={(v) => formatUsd(Number(v))} labelFormatter={(l) => String(l)} isAnimationActive={false} />
            <Legend wrapperStyle={{ fontSize: 13 }} />
            {chart.keys.map((k, i) => (
              <Bar key={k} dataKey={k} name={names?.get(k) ?? k} stackId="spend" fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">{label}</figcaption>
    </figure>
  );
}
