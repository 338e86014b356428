/**
 * The audience builder: edits an audience (new or existing) as the JSON its YAML holds, shows its
 * live size (the same SQL `weft build` creates its view from), then the YAML diff, then Save
 * (editors) writes models/audiences/<name>.yml, which the server checks as `weft validate` does.
 */
import { useEffect, useState } from 'react';
import type { Session } from '../App';
import { api } from '../api';
import {
  type Condition,
  ConditionEditor,
  newCondition,
  type Vocabulary,
} from '../components/ConditionEditor';
import { DraftInsights, type Insights } from '../components/DraftInsights';
import { Loading } from '../components/Loading';
import { count } from '../format';
import { useApi } from '../useApi';

interface Draft {
  name: string;
  description?: string;
  where?: Condition;
  sql?: string;
  exclude?: Condition;
  splits?: Record<string, number>;
  columns?: string[];
}

interface Diff {
  path: string;
  yaml: string;
  created: boolean;
  diff: Array<{ op: ' ' | '-' | '+'; text: string }>;
}

/** The draft as sent: empty optional parts left out, so an edit adds nothing the file did not say. */
function cleaned(draft: Draft): Draft {
  const out: Record<string, unknown> = { ...draft };
  if (!draft.description) delete out.description;
  if (!draft.columns || draft.columns.length === 0) delete out.columns;
  for (const k of ['exclude', 'splits', 'where', 'sql']) if (out[k] === undefined) delete out[k];
  return out as unknown as Draft;
}

export function AudienceBuilder({ name, session }: { name: string | null; session: Session }) {
  const vocab = useApi<Vocabulary>('audience-vocabulary');
  const file = useApi<{ value: Draft; path: string }>(name ? `audiences/${encodeURIComponent(name)}` : null);
  const [draft, setDraft] = useState<Draft | null>(null);
  useEffect(() => {
    if (name && file.data) setDraft(file.data.value);
    else if (!name && vocab.data && !draft) setDraft({ name: '', where: newCondition('group', vocab.data) });
  }, [name, file.data, vocab.data, draft]);
  if (!vocab.data || !draft) return <Loading error={vocab.error ?? file.error} />;
  return (
    <Builder
      key={name ?? 'new'}
      initial={draft}
      existing={name !== null}
      vocab={vocab.data}
      session={session}
    />
  );
}

function Builder({
  initial,
  existing,
  vocab,
  session,
}: {
  initial: Draft;
  existing: boolean;
  vocab: Vocabulary;
  session: Session;
}) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [size, setSize] = useState<{
    size?: number;
    arms?: Array<{ arm: string; size: number }>;
    error?: string;
    busy: boolean;
  }>({ busy: true });
  const [insights, setInsights] = useState<Insights | null>(null);
  const [diff, setDiff] = useState<Diff | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const sent = JSON.stringify(cleaned(draft));
  const [builder] = useState(() => `b-${Math.random().toString(36).slice(2, 12)}`);

  useEffect(() => {
    setDiff(null);
    setSaved(null);
    if (!draft.name) {
      setSize({ busy: false, error: 'Name the audience to see its size.' });
      return;
    }
    let live = true;
    let later: ReturnType<typeof setTimeout> | undefined;
    // A newer draft aborts this one's calls: the server stops their work (and, with the builder
    // id, drops this builder's older calls still waiting), so the newest draft is answered first.
    const calls = new AbortController();
    const options = { signal: calls.signal, builder };
    setSize((s) => ({ ...s, busy: true }));
    const timer = setTimeout(() => {
      api<{ size: number; arms: Array<{ arm: string; size: number }> }>(
        'audiences/size',
        { audience: JSON.parse(sent) },
        undefined,
        options,
      )
        .then((r) => {
          if (!live) return;
          setSize({ size: r.size, arms: r.arms, busy: false });
          // Groups, overlaps and a sample take longer: ask once the draft has rested a moment.
          // They run beside the next size, never in front of it.
          later = setTimeout(() => {
            api<Insights>('audiences/insights', { audience: JSON.parse(sent) }, undefined, options)
              .then((i) => live && setInsights(i))
              .catch(() => live && setInsights(null));
          }, 1000);
        })
        .catch((e: Error) => live && setSize({ error: e.message, busy: false }));
    }, 300);
    return () => {
      live = false;
      calls.abort();
      clearTimeout(later);
      clearTimeout(timer);
    };
  }, [sent, draft.name, builder]);

  const review = async () => {
    setProblem(null);
    try {
      setDiff(await api<Diff>('audiences/diff', { audience: JSON.parse(sent) }));
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  const save = async () => {
    setProblem(null);
    try {
      const result = await api<{ path: string }>('audiences/save', { audience: JSON.parse(sent) });
      setSaved(result.path);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  const splitsText = Object.entries(draft.splits ?? {})
    .map(([arm, pct]) => `${arm}:${pct}`)
    .join(', ');

  return (
    <>
      <p className="crumbs">
        <a href="#/audiences">Audiences</a> › {existing ? draft.name : 'new'}
      </p>
      <h1>{existing ? `Audience ${draft.name}` : 'New audience'}</h1>
      <div className="builder">
        <form className="builder-form" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="aud-name">Name</label>
          <input
            id="aud-name"
            value={draft.name}
            disabled={existing}
            pattern="[a-z_][a-z0-9_]*"
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
          <label htmlFor="aud-desc">Description</label>
          <input
            id="aud-desc"
            value={draft.description ?? ''}
            onChange={(e) => setDraft({ ...draft, description: e.target.value })}
          />
          {draft.sql !== undefined ? (
            <p className="hint">This audience is raw SQL: edit its file.</p>
          ) : (
            <>
              <h2>Who is in</h2>
              {draft.where && (
                <ConditionEditor
                  value={draft.where}
                  vocab={vocab}
                  label="where"
                  onChange={(where) => setDraft({ ...draft, where })}
                />
              )}
              <h2>Exclude</h2>
              {draft.exclude ? (
                <ConditionEditor
                  value={draft.exclude}
                  vocab={vocab}
                  label="exclude"
                  onChange={(exclude) => setDraft({ ...draft, exclude })}
                  onRemove={() => setDraft({ ...draft, exclude: undefined })}
                />
              ) : (
                <button
                  type="button"
                  onClick={() => setDraft({ ...draft, exclude: newCondition('audience', vocab) })}
                >
                  + exclusion
                </button>
              )}
            </>
          )}
          <label htmlFor="aud-splits">Splits (arm:percent, summing to 100)</label>
          <input
            id="aud-splits"
            defaultValue={splitsText}
            placeholder="control:10, treatment:90"
            onChange={(e) => {
              const arms = e.target.value
                .split(',')
                .map((p) => p.split(':').map((s) => s.trim()))
                .filter(([arm, pct]) => arm && pct && !Number.isNaN(Number(pct)));
              setDraft({
                ...draft,
                splits:
                  arms.length > 0 ? Object.fromEntries(arms.map(([a, p]) => [a, Number(p)])) : undefined,
              });
            }}
          />
          <label htmlFor="aud-columns">Columns exported (traits, comma separated)</label>
          <input
            id="aud-columns"
            defaultValue={(draft.columns ?? []).join(', ')}
            placeholder={vocab.traits.slice(0, 3).join(', ')}
            onChange={(e) =>
              setDraft({
                ...draft,
                columns: e.target.value
                  .split(',')
                  .map((c) => c.trim())
                  .filter(Boolean),
              })
            }
          />
        </form>
        <aside className="panel size" aria-live="polite">
          <h2>Live size</h2>
          {size.error ? (
            <p className="error" role="alert">
              {size.error}
            </p>
          ) : (
            <p className="big" data-testid="live-size" aria-busy={size.busy}>
              {size.size === undefined ? '…' : count(size.size)}
            </p>
          )}
          {size.arms && size.arms.length > 0 && (
            <ul>
              {size.arms.map((a) => (
                <li key={a.arm}>
                  {a.arm}: {count(a.size)}
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={review} disabled={!draft.name}>
            Review YAML
          </button>
        </aside>
      </div>
      {insights && !size.error && <DraftInsights insights={insights} />}
      {problem && (
        <p role="alert" className="error" data-testid="problem">
          {problem}
        </p>
      )}
      {diff && (
        <section className="panel" aria-labelledby="diff-h">
          <h2 id="diff-h">
            {diff.created ? 'New file' : 'Changes to'} <code>{diff.path}</code>
          </h2>
          <pre className="diff" data-testid="diff">
            {diff.diff.map((l, i) => (
              <span key={i} className={l.op === '+' ? 'add' : l.op === '-' ? 'del' : ''}>
                {`${l.op} ${l.text}\n`}
              </span>
            ))}
          </pre>
          {session.role === 'editor' ? (
            <button type="button" onClick={save}>
              Save
            </button>
          ) : (
            <p className="hint" data-testid="viewer-no-save">
              Viewers cannot save: sign in with the editor key.
            </p>
          )}
        </section>
      )}
      {saved && (
        <p role="status" className="notice" data-testid="saved">
          Saved {saved}. Run <code>weft build</code> to create its view.
        </p>
      )}
    </>
  );
}
