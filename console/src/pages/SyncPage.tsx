/** One sync: its run history (chart and table) and, for editors, "plan now" and "sync now". */
import { useState } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Session } from '../App';
import { api } from '../api';
import { Loading } from '../components/Loading';
import { Status } from '../components/Status';
import { count, ms, show, when } from '../format';
import { useApi } from '../useApi';

type Run = Record<string, unknown>;

interface Plan {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  samples: Record<string, Array<Record<string, unknown>>>;
}

export function SyncPage({ name, session }: { name: string; session: Session }) {
  const runs = useApi<Run[]>(`syncs/${encodeURIComponent(name)}/runs`);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const act = async (what: 'plan' | 'sync') => {
    setBusy(what);
    setMessage(null);
    try {
      const result = await api<Record<string, unknown>>(`syncs/${encodeURIComponent(name)}/${what}`, {});
      if (what === 'plan') setPlan(result as unknown as Plan);
      else {
        setMessage(
          `Sync ${String(result.status)}: ${count(result.succeeded)} sent, ${count(result.rejected)} rejected`,
        );
        runs.reload();
      }
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const chart = (runs.data ?? []).map((r) => ({
    run: when(r.started_at).slice(5, 19),
    added: Number(r.added ?? 0),
    changed: Number(r.changed ?? 0),
    removed: Number(r.removed ?? 0),
    rejected: Number(r.rejected ?? 0),
    seconds: Number(r.duration_ms ?? 0) / 1000,
  }));
  return (
    <>
      <p className="crumbs">
        <a href="#/">Overview</a> › sync
      </p>
      <h1>{name}</h1>
      {session.role === 'editor' ? (
        <div className="actions">
          <button type="button" onClick={() => act('plan')} disabled={busy !== null}>
            {busy === 'plan' ? 'Planning…' : 'Plan now'}
          </button>
          <button type="button" onClick={() => act('sync')} disabled={busy !== null}>
            {busy === 'sync' ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      ) : (
        <p className="hint">Viewers see runs; editors can plan and sync now.</p>
      )}
      {message && (
        <p role="status" className="notice">
          {message}
        </p>
      )}
      {plan && <PlanView plan={plan} />}
      {!runs.data ? (
        <Loading error={runs.error} />
      ) : runs.data.length === 0 ? (
        <p>No runs yet.</p>
      ) : (
        <>
          <h2>Run history</h2>
          <figure className="chart" aria-label="Rows per run and duration">
            <ResponsiveContainer width="100%" height={240}>
              <ComposedChart data={chart} barGap={2} maxBarSize={28}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="run" fontSize={11} />
                <YAxis yAxisId="rows" fontSize={11} />
                <YAxis yAxisId="s" orientation="right" fontSize={11} unit=" s" />
                <Tooltip />
                <Legend />
                <Bar yAxisId="rows" dataKey="added" fill="#2f7d4f" isAnimationActive={false} />
                <Bar yAxisId="rows" dataKey="changed" fill="#3a6ea5" isAnimationActive={false} />
                <Bar yAxisId="rows" dataKey="removed" fill="#8a6d3b" isAnimationActive={false} />
                <Bar yAxisId="rows" dataKey="rejected" fill="#b03a2e" isAnimationActive={false} />
                <Line yAxisId="s" dataKey="seconds" stroke="#333" dot isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </figure>
          <table data-testid="runs">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Time</th>
                <th scope="col" className="num">
                  Added
                </th>
                <th scope="col" className="num">
                  Changed
                </th>
                <th scope="col" className="num">
                  Removed
                </th>
                <th scope="col" className="num">
                  Rejected
                </th>
              </tr>
            </thead>
            <tbody>
              {[...runs.data].reverse().map((r) => (
                <tr key={String(r.run_id)}>
                  <td>
                    <a href={`#/runs/${encodeURIComponent(String(r.run_id))}`}>{String(r.run_id)}</a>
                    {r.error ? <div className="sub">{show(r.error)}</div> : null}
                  </td>
                  <td>
                    <Status status={String(r.status)} />
                  </td>
                  <td>{when(r.started_at)}</td>
                  <td>{ms(r.duration_ms)}</td>
                  <td className="num">{count(r.added)}</td>
                  <td className="num">{count(r.changed)}</td>
                  <td className="num">{count(r.removed)}</td>
                  <td className="num">{count(r.rejected)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

function PlanView({ plan }: { plan: Plan }) {
  return (
    <section aria-labelledby="plan-h" className="panel">
      <h2 id="plan-h">Plan</h2>
      <p data-testid="plan">
        {count(plan.added)} to add, {count(plan.changed)} to change, {count(plan.removed)} to remove,{' '}
        {count(plan.unchanged)} unchanged
      </p>
      {Object.entries(plan.samples ?? {}).map(([kind, rows]) => (
        <details key={kind}>
          <summary>
            {kind}: {rows.length} sample rows
          </summary>
          <pre>{JSON.stringify(rows, null, 2)}</pre>
        </details>
      ))}
    </section>
  );
}
