/** Support's view: search a person by any identifier and see everything weft knows and sent. */
import { type FormEvent, useState } from 'react';
import type { Session } from '../App';
import { Graph } from '../components/Graph';
import { Loading } from '../components/Loading';
import { PrivacyActions } from '../components/PrivacyActions';
import { show, when } from '../format';
import { go } from '../route';
import { useApi } from '../useApi';

interface Identifier {
  type: string;
  value: string;
  sources: string[];
  first_seen_at: unknown;
  last_seen_at: unknown;
}

interface Profile {
  profile_id: string;
  query: string;
  sections: {
    identifiers?: Identifier[];
    traits?: Record<string, unknown>;
    audiences?: Array<{ audience: string; split?: string }>;
  };
  events: Array<{ table: string; rows: number; recent: Array<Record<string, unknown>> }>;
  destinations: Array<{ sync: string; type: string; connection: string; synced_at: string | null }>;
  edges: Array<Record<string, unknown>>;
}

export function Profiles({ query, session }: { query: string; session: Session }) {
  const [text, setText] = useState(query);
  const search = (event: FormEvent) => {
    event.preventDefault();
    go(`#/profiles?q=${encodeURIComponent(text)}`);
  };
  return (
    <>
      <h1>Profiles</h1>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not in every browser the console supports */}
      <form className="search" onSubmit={search} role="search">
        <label htmlFor="q">Find a person by any identifier</label>
        <input
          id="q"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="email, phone, user id, email:… or a profile id"
        />
        <button type="submit">Search</button>
      </form>
      {query.trim() !== '' && <ProfileView query={query} session={session} />}
    </>
  );
}

function ProfileView({ query, session }: { query: string; session: Session }) {
  const { data, error } = useApi<Profile>(`profiles?q=${encodeURIComponent(query)}`);
  if (!data) return <Loading error={error} />;
  const ids = data.sections.identifiers ?? [];
  const traits = Object.entries(data.sections.traits ?? {});
  const audiences = data.sections.audiences ?? [];
  return (
    <article aria-labelledby="profile-h">
      <h2 id="profile-h">
        Profile <code>{data.profile_id}</code>
      </h2>
      <div className="columns">
        <section aria-labelledby="traits-h" className="panel">
          <h3 id="traits-h">Traits</h3>
          <dl className="facts" data-testid="traits">
            {traits.map(([name, value]) => (
              <div key={name} className="fact">
                <dt>{name}</dt>
                <dd>{show(value)}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section aria-labelledby="aud-h" className="panel">
          <h3 id="aud-h">Audiences</h3>
          {audiences.length === 0 ? (
            <p>In no audience.</p>
          ) : (
            <ul data-testid="audiences">
              {audiences.map((a) => (
                <li key={a.audience}>
                  <a href={`#/audiences/${encodeURIComponent(a.audience)}`}>{a.audience}</a>
                  {a.split ? ` (${a.split})` : ''}
                </li>
              ))}
            </ul>
          )}
          <h3>Destinations reached</h3>
          {data.destinations.length === 0 ? (
            <p>Not synced anywhere yet.</p>
          ) : (
            <table data-testid="destinations">
              <thead>
                <tr>
                  <th scope="col">Sync</th>
                  <th scope="col">Destination</th>
                  <th scope="col">Last synced</th>
                </tr>
              </thead>
              <tbody>
                {data.destinations.map((d) => (
                  <tr key={`${d.sync}`}>
                    <td>
                      <a href={`#/syncs/${encodeURIComponent(d.sync)}`}>{d.sync}</a>
                    </td>
                    <td>{d.type}</td>
                    <td>{when(d.synced_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      {session.role === 'editor' && (
        <PrivacyActions
          key={data.profile_id}
          person={{ profileId: data.profile_id, identifiers: ids.length, destinations: data.destinations }}
        />
      )}
      <section aria-labelledby="ids-h">
        <h3 id="ids-h">Identifiers by source</h3>
        <table data-testid="identifiers">
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">Seen in</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {ids.map((i) => (
              <tr key={`${i.type}:${i.value}`}>
                <td>{i.type}</td>
                <td>{i.value}</td>
                <td>{i.sources.join(', ')}</td>
                <td>{when(i.first_seen_at)}</td>
                <td>{when(i.last_seen_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {data.edges.length > 0 && (
        <section aria-labelledby="graph-h">
          <h3 id="graph-h">Identity graph</h3>
          <p className="hint">Each edge: the source row(s) that linked two identifiers.</p>
          <IdentityGraph edges={data.edges} />
        </section>
      )}
      <section aria-labelledby="events-h">
        <h3 id="events-h">Recent events</h3>
        {data.events.length === 0 ? (
          <p>No collected events.</p>
        ) : (
          data.events.map((e) => (
            <details key={e.table}>
              <summary>
                {e.table}: {e.rows} events
              </summary>
              <pre>{JSON.stringify(e.recent, null, 2)}</pre>
            </details>
          ))
        )}
      </section>
    </article>
  );
}

function IdentityGraph({ edges }: { edges: Array<Record<string, unknown>> }) {
  const nodes = new Map<string, { id: string; label: string; kind: string }>();
  const links = edges.map((e) => {
    const a = `${show(e.a_type)}:${show(e.a_value)}`;
    const b = `${show(e.b_type)}:${show(e.b_value)}`;
    nodes.set(a, { id: a, label: a, kind: 'identifier' });
    nodes.set(b, { id: b, label: b, kind: 'identifier' });
    const rows = Number(e.row_count ?? 1);
    const used = e.used_for_merge === false ? ` (not merged: ${show(e.unused_reason)})` : '';
    return { from: a, to: b, label: `${show(e.source)} ×${rows}${used}` };
  });
  return <Graph nodes={[...nodes.values()]} edges={links} title="The profile's identity graph" />;
}
