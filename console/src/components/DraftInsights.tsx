/**
 * Beside the live size: each group's size on its own (labelled as the editor labels it), the
 * overlap with the other built audiences, and a sample of members (identifiers masked).
 */
import { count, show } from '../format';

export interface Insights {
  groups: Array<{ path: number[]; match: string; conditions: number; size: number }>;
  overlaps: Array<{ audience: string; size: number; overlap: number }>;
  sample: Array<Record<string, unknown>>;
  built: boolean;
}

/** The editor's label of the node at `path` (ConditionEditor: "where › condition 2 › …"). */
export function groupLabel(path: number[]): string {
  return ['where', ...path.map((i) => `condition ${i + 1}`)].join(' › ');
}

export function DraftInsights({ insights }: { insights: Insights }) {
  const columns = Object.keys(insights.sample[0] ?? {});
  return (
    <section className="panel insights" aria-labelledby="insights-h">
      <h2 id="insights-h" className="wide">
        Inside this draft
      </h2>
      <div>
        <h3>By group</h3>
        {insights.groups.length === 0 && <p className="hint">No groups.</p>}
        <table data-testid="group-sizes">
          <tbody>
            {insights.groups.map((g) => (
              <tr key={g.path.join('.')}>
                <th scope="row">
                  {groupLabel(g.path)}
                  <div className="sub">
                    {g.match} of {g.conditions}
                  </div>
                </th>
                <td className="num">{count(g.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h3>Overlap with built audiences</h3>
        {!insights.built ? (
          <p className="hint">No audience built yet: run weft build.</p>
        ) : (
          <table data-testid="overlaps">
            <thead>
              <tr>
                <th scope="col">Audience</th>
                <th scope="col" className="num">
                  Shared
                </th>
                <th scope="col" className="num">
                  Of
                </th>
              </tr>
            </thead>
            <tbody>
              {insights.overlaps.map((o) => (
                <tr key={o.audience}>
                  <td>{o.audience}</td>
                  <td className="num">{count(o.overlap)}</td>
                  <td className="num">{count(o.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div>
        <h3>Sample of members</h3>
        {insights.sample.length === 0 ? (
          <p>Nobody yet.</p>
        ) : (
          <div className="scroll">
            <table data-testid="sample">
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {insights.sample.map((row) => (
                  <tr key={String(row.profile_id)}>
                    {columns.map((c) => (
                      <td key={c}>
                        {c === 'profile_id' ? (
                          <a href={`#/profiles?q=${encodeURIComponent(String(row[c]))}`}>
                            {String(row[c]).slice(0, 10)}…
                          </a>
                        ) : (
                          show(row[c])
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
