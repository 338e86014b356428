/** Marketers' list: every audience with its size at the last build and its trend over builds. */
import { Line, LineChart, Tooltip, YAxis } from 'recharts';
import type { Session } from '../App';
import { Loading } from '../components/Loading';
import { count, when } from '../format';
import { useApi } from '../useApi';

interface Listing {
  name: string;
  description?: string;
  path: string;
  size: number | null;
  built_at: string | null;
  changed_at: string | null;
  /** Size per build, oldest first. */
  trend: Array<{ built_at: string; size: number }>;
}

/** The trend in words (for screen readers and the tests): first → last size over n builds. */
function trendText(trend: Listing['trend']): string {
  if (trend.length === 0) return 'no builds recorded';
  const first = trend[0]!;
  const last = trend[trend.length - 1]!;
  const change = last.size - first.size;
  return trend.length === 1
    ? `${count(last.size)} at one build`
    : `${count(first.size)} → ${count(last.size)} over ${trend.length} builds (${change >= 0 ? '+' : ''}${count(change)})`;
}

function Sparkline({ trend }: { trend: Listing['trend'] }) {
  if (trend.length < 2) return null;
  const data = trend.map((t) => ({ build: when(t.built_at), size: t.size }));
  return (
    <LineChart width={140} height={32} data={data} aria-hidden="true">
      <YAxis hide domain={['dataMin', 'dataMax']} />
      <Tooltip formatter={(v) => count(v)} labelFormatter={(_l, p) => String(p?.[0]?.payload?.build ?? '')} />
      <Line type="monotone" dataKey="size" stroke="#1f5fa8" dot={false} isAnimationActive={false} />
    </LineChart>
  );
}

export function Audiences({ session }: { session: Session }) {
  const { data, error } = useApi<Listing[]>('audiences');
  if (!data) return <Loading error={error} />;
  return (
    <>
      <h1>Audiences</h1>
      <p>
        <a className="button" href="#/audiences/new">
          New audience
        </a>{' '}
        {session.role === 'viewer' && (
          <span className="hint">Viewers can build and size; only editors save.</span>
        )}
      </p>
      <table data-testid="audience-list">
        <thead>
          <tr>
            <th scope="col">Audience</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Trend</th>
            <th scope="col">Last change</th>
            <th scope="col">File</th>
          </tr>
        </thead>
        <tbody>
          {data.map((a) => (
            <tr key={a.name}>
              <td>
                <a href={`#/audiences/${encodeURIComponent(a.name)}`}>{a.name}</a>
                {a.description && <div className="sub">{a.description}</div>}
              </td>
              <td className="num">{a.size === null ? 'not built' : count(a.size)}</td>
              <td>
                <div className="trend">
                  <Sparkline trend={a.trend} />
                  <span className="sub" data-testid="trend">
                    {trendText(a.trend)}
                  </span>
                </div>
              </td>
              <td>{when(a.changed_at)}</td>
              <td>
                <code>{a.path}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
