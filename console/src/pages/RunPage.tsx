/** One run: its counts and its rejections grouped by reason (values masked), each row's payload and the destination's answer. */
import { Loading } from '../components/Loading';
import { Status } from '../components/Status';
import { count, ms, show, when } from '../format';
import { useApi } from '../useApi';

interface RunDetail {
  run: Record<string, unknown>;
  groups: Array<{
    reason: string;
    count: number;
    rows: Array<{ key: string; reason: string; attempts: number; payload: Record<string, unknown> | null }>;
  }>;
}

export function RunPage({ runId }: { runId: string }) {
  const { data, error } = useApi<RunDetail>(`runs/${encodeURIComponent(runId)}`);
  if (!data) return <Loading error={error} />;
  const { run, groups } = data;
  const sync = String(run.sync);
  return (
    <>
      <p className="crumbs">
        <a href="#/">Overview</a> › <a href={`#/syncs/${encodeURIComponent(sync)}`}>{sync}</a> › run
      </p>
      <h1>
        Run {runId} <Status status={String(run.status)} />
      </h1>
      <dl className="facts">
        <dt>Started</dt>
        <dd>{when(run.started_at)}</dd>
        <dt>Time</dt>
        <dd>{ms(run.duration_ms)}</dd>
        <dt>Added / changed / removed</dt>
        <dd>
          {count(run.added)} / {count(run.changed)} / {count(run.removed)}
        </dd>
        <dt>Acknowledged</dt>
        <dd>{count(run.succeeded)}</dd>
        <dt>Rejected</dt>
        <dd>{count(run.rejected)}</dd>
        {run.error ? (
          <>
            <dt>Error</dt>
            <dd>{show(run.error)}</dd>
          </>
        ) : null}
      </dl>
      <h2>Rejections by reason</h2>
      {groups.length === 0 ? (
        <p>No row of this run is currently rejected.</p>
      ) : (
        groups.map((g) => (
          <section key={g.reason} className="panel" data-testid="reason-group">
            <h3>
              <span className="reason">{g.reason}</span> <span className="sub">{count(g.count)} rows</span>
            </h3>
            <table>
              <thead>
                <tr>
                  <th scope="col">Key</th>
                  <th scope="col">Destination's message</th>
                  <th scope="col">Payload</th>
                  <th scope="col" className="num">
                    Attempts
                  </th>
                </tr>
              </thead>
              <tbody>
                {g.rows.map((r) => (
                  <tr key={r.key}>
                    <td>{r.key}</td>
                    <td data-testid="destination-message">{r.reason}</td>
                    <td>
                      <code className="payload">{r.payload ? JSON.stringify(r.payload) : '–'}</code>
                    </td>
                    <td className="num">{r.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {g.count > g.rows.length && <p className="sub">…and {count(g.count - g.rows.length)} more</p>}
          </section>
        ))
      )}
    </>
  );
}
