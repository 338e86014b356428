/**
 * Lineage: sources → models → identity → profiles → audiences → syncs → destinations. Every node
 * is a link (Tab to it, Enter opens) to its details beside the graph: columns, SQL path, last
 * build, what feeds it and what reads it, the syncs using it, and its own page when it has one.
 */
import { Graph } from '../components/Graph';
import { Loading } from '../components/Loading';
import { count, when } from '../format';
import { useApi } from '../useApi';

interface LineageNode {
  id: string;
  kind: string;
  label: string;
  link?: string;
}

interface LineageData {
  nodes: LineageNode[];
  edges: Array<[string, string]>;
}

interface NodeDetail {
  node: LineageNode;
  facts: Array<[string, string]>;
  relation?: {
    name: string;
    exists: boolean;
    rows: number | null;
    columns: Array<{ name: string; type: string }>;
  };
  upstream: LineageNode[];
  downstream: LineageNode[];
  syncs: Array<{ name: string; status: string | null; started_at: string | null }>;
}

const detailLink = (id: string) => `#/lineage/${encodeURIComponent(id)}`;

export function Lineage({ selected }: { selected?: string | undefined }) {
  const { data, error } = useApi<LineageData>('lineage');
  if (!data) return <Loading error={error} />;
  return (
    <>
      <h1>Lineage</h1>
      <p className="hint">
        Sources → models → identity → profiles → audiences → syncs → destinations. Open a node for its
        details.
      </p>
      <Graph
        title="Project lineage"
        nodes={data.nodes.map((n) => ({ ...n, link: detailLink(n.id) }))}
        edges={data.edges.map(([from, to]) => ({ from, to }))}
      />
      {selected && <NodePanel key={selected} id={selected} />}
    </>
  );
}

function NodeList({ nodes }: { nodes: LineageNode[] }) {
  if (nodes.length === 0) return <p className="sub">none</p>;
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.id}>
          <a href={detailLink(n.id)}>{n.label}</a> <span className="sub">({n.kind})</span>
        </li>
      ))}
    </ul>
  );
}

function NodePanel({ id }: { id: string }) {
  const { data, error } = useApi<NodeDetail>(`lineage/${encodeURIComponent(id)}`);
  if (!data) return <Loading error={error} />;
  const { node, relation } = data;
  return (
    <section className="panel" aria-labelledby="node-h" data-testid="node-detail">
      <h2 id="node-h">
        {node.kind} <code>{node.label}</code>
      </h2>
      {node.link && (
        <p>
          <a href={node.link}>Open its page</a>
        </p>
      )}
      <div className="columns">
        <div>
          <dl className="facts" data-testid="node-facts">
            {data.facts.map(([label, value]) => (
              <div key={label} className="fact">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
            {relation && (
              <div className="fact">
                <dt>relation</dt>
                <dd>
                  <code>{relation.name}</code>{' '}
                  {relation.exists
                    ? relation.rows === null
                      ? '(a view)'
                      : `${count(relation.rows)} rows`
                    : 'not in the warehouse: run weft build'}
                </dd>
              </div>
            )}
          </dl>
          <h3>Fed by</h3>
          <NodeList nodes={data.upstream} />
          <h3>Read by</h3>
          <NodeList nodes={data.downstream} />
          <h3>Syncs using it</h3>
          {data.syncs.length === 0 ? (
            <p className="sub">none</p>
          ) : (
            <table data-testid="node-syncs">
              <tbody>
                {data.syncs.map((s) => (
                  <tr key={s.name}>
                    <td>
                      <a href={`#/syncs/${encodeURIComponent(s.name)}`}>{s.name}</a>
                    </td>
                    <td>{s.status ?? 'never run'}</td>
                    <td>{when(s.started_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div>
          {relation?.exists && (
            <>
              <h3>Columns</h3>
              <table data-testid="node-columns">
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Type</th>
                  </tr>
                </thead>
                <tbody>
                  {relation.columns.map((c) => (
                    <tr key={c.name}>
                      <td>{c.name}</td>
                      <td>{c.type}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
      </div>
    </section>
  );
}
