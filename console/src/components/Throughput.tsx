/** The overview's collected events: per hour (24 h) and per day (14 days) charts, and each table's rows and last event. */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { count, when } from '../format';

export interface ThroughputData {
  schema: string;
  tables: Array<{ table: string; rows: number; last_received_at: string | null }>;
  last_received_at: string | null;
  per_hour: Array<{ hour: string; events: number }>;
  per_day: Array<{ day: string; events: number }>;
}

export function Throughput({ data }: { data: ThroughputData }) {
  const lastHour = data.per_hour.reduce((n, h) => n + h.events, 0);
  return (
    <section aria-labelledby="events-h">
      <h2 id="events-h">Collected events</h2>
      <p data-testid="events-summary">
        Last event {when(data.last_received_at)} · {count(lastHour)} in the last 24 hours ·{' '}
        {count(data.per_day.reduce((n, d) => n + d.events, 0))} in the last 14 days
      </p>
      <div className="columns">
        <figure className="chart" aria-label="Events per hour, last 24 hours">
          <ResponsiveContainer width="100%" height={160}>
            <BarChart data={data.per_hour.map((h) => ({ label: h.hour.slice(11, 13), events: h.events }))}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} width={40} />
              <Tooltip />
              <Bar dataKey="events" fill="#1f5fa8" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <figcaption className="sub">Per hour (UTC), last 24 hours</figcaption>
        </figure>
        <figure className="chart" aria-label="Events per day, last 14 days">
          <ResponsiveContainer width="100%" height={160}>
            <BarChart data={data.per_day.map((d) => ({ label: d.day.slice(5), events: d.events }))}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} width={40} />
              <Tooltip />
              <Bar dataKey="events" fill="#4a8a5c" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
          <figcaption className="sub">Per day, last 14 days</figcaption>
        </figure>
      </div>
      <table data-testid="event-tables">
        <thead>
          <tr>
            <th scope="col">Table ({data.schema})</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col">Last event</th>
          </tr>
        </thead>
        <tbody>
          {data.tables.map((t) => (
            <tr key={t.table}>
              <td>{t.table}</td>
              <td className="num">{count(t.rows)}</td>
              <td>{when(t.last_received_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
