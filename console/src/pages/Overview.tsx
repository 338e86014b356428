/** Overview: the last build per stage, every sync's health (failures first), collected events. */
import { Loading } from '../components/Loading';
import { Status } from '../components/Status';
import { Throughput, type ThroughputData } from '../components/Throughput';
import { count, when } from '../format';
import { useApi } from '../useApi';

interface OverviewData {
  project: string;
  warehouse: string;
  stages: Array<{ stage: string; status: string; detail: string; built_at: string | null }>;
  syncs: Array<{
    name: string;
    from: string;
    destination: string;
    connection: string;
    mode: string;
    rejected_now: number;
    last: Record<string, unknown> | null;
  }>;
  /** Null when the collector's tables do not exist. */
  events: ThroughputData | null;
}

export function Overview() {
  const { data, error } = useApi<OverviewData>('overview');
  if (!data) return <Loading error={error} />;
  return (
    <>
      <h1>Overview</h1>
      <section aria-labelledby="build-h">
        <h2 id="build-h">Last build ({data.warehouse})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">State</th>
              <th scope="col">Detail</th>
              <th scope="col">Built at</th>
            </tr>
          </thead>
          <tbody>
            {data.stages.map((s) => (
              <tr key={s.stage}>
                <td>{s.stage}</td>
                <td>
                  <Status status={s.status} />
                </td>
                <td>{s.detail}</td>
                <td>{when(s.built_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="syncs-h">
        <h2 id="syncs-h">Syncs</h2>
        <table data-testid="syncs">
          <thead>
            <tr>
              <th scope="col">Sync</th>
              <th scope="col">Destination</th>
              <th scope="col">Last run</th>
              <th scope="col">Started</th>
              <th scope="col" className="num">
                Acknowledged
              </th>
              <th scope="col" className="num">
                Rejected now
              </th>
            </tr>
          </thead>
          <tbody>
            {data.syncs.map((s) => (
              <tr key={s.name}>
                <td>
                  <a href={`#/syncs/${encodeURIComponent(s.name)}`}>{s.name}</a>
                  <div className="sub">from {s.from}</div>
                </td>
                <td>
                  {s.destination} <span className="sub">({s.mode})</span>
                </td>
                <td>
                  <Status status={s.last ? String(s.last.status) : null} />
                </td>
                <td>{when(s.last?.started_at)}</td>
                <td className="num">{count(s.last?.succeeded)}</td>
                <td className="num">{count(s.rejected_now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {data.events && <Throughput data={data.events} />}
    </>
  );
}
