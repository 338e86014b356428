/**
 * The audience grammar as a form: groups (all / any), not, trait, event and audience conditions,
 * nested to any depth. Each node edits the same JSON the YAML holds, so nothing is translated.
 */
import { useState } from 'react';
import { type ColumnCondition, ColumnConditions } from './ColumnConditions';
import { formatValue, LIST_VALUE, NO_VALUE, valueFor } from './values';

export type Scalar = string | number | boolean;
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { trait: string; op: string; value?: Scalar | Scalar[] }
  | {
      event: string;
      timestamp?: string;
      within_days?: number;
      count?: Record<string, number>;
      where?: ColumnCondition[];
    }
  | { audience: string };

/** What the builder can offer (GET audience-vocabulary). */
export interface Vocabulary {
  traits: string[];
  events: Array<{ from: string; timestamp: string | null; columns: string[] }>;
  audiences: string[];
  ops: string[];
}

const COUNT_OPS = ['gte', 'gt', 'eq', 'neq', 'lt', 'lte'];

/** A new leaf of `kind`. */
export function newCondition(kind: 'trait' | 'event' | 'audience' | 'group', vocab: Vocabulary): Condition {
  if (kind === 'trait') return { trait: vocab.traits[0] ?? '', op: 'eq', value: '' };
  if (kind === 'event') {
    const e = vocab.events[0];
    return { event: e?.from ?? '', ...(e?.timestamp ? { timestamp: e.timestamp, within_days: 30 } : {}) };
  }
  if (kind === 'audience') return { audience: vocab.audiences[0] ?? '' };
  return { all: [newCondition('trait', vocab)] };
}

interface EditorProps {
  value: Condition;
  onChange: (next: Condition) => void;
  onRemove?: (() => void) | undefined;
  vocab: Vocabulary;
  label: string;
}

/** One node of the tree. */
export function ConditionEditor({ value, onChange, onRemove, vocab, label }: EditorProps) {
  if ('all' in value || 'any' in value)
    return <GroupEditor value={value} onChange={onChange} onRemove={onRemove} vocab={vocab} label={label} />;
  const negated = 'not' in value;
  const inner = negated ? (value as { not: Condition }).not : value;
  const setInner = (next: Condition) => onChange(negated ? { not: next } : next);
  return (
    // biome-ignore lint/a11y/useSemanticElements: a nested condition is a group inside the fieldset of its parent; a fieldset here would nest legends
    <div className={`cond${negated ? ' negated' : ''}`} role="group" aria-label={label}>
      <label className="inline">
        <input
          type="checkbox"
          checked={negated}
          onChange={(e) => onChange(e.target.checked ? { not: inner } : inner)}
        />
        not
      </label>
      {'all' in inner || 'any' in inner ? (
        <GroupEditor value={inner} onChange={setInner} vocab={vocab} label={`${label} (negated group)`} />
      ) : 'trait' in inner ? (
        <TraitEditor value={inner} onChange={setInner} vocab={vocab} label={label} />
      ) : 'event' in inner ? (
        <EventEditor value={inner} onChange={setInner} vocab={vocab} label={label} />
      ) : 'audience' in inner ? (
        <label className="inline">
          in audience
          <select
            value={inner.audience}
            onChange={(e) => setInner({ audience: e.target.value })}
            aria-label={`${label} audience`}
          >
            {[...new Set([inner.audience, ...vocab.audiences])].map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
      ) : null}
      {onRemove && (
        <button type="button" className="remove" onClick={onRemove} aria-label={`Remove ${label}`}>
          ×
        </button>
      )}
    </div>
  );
}

function GroupEditor({ value, onChange, onRemove, vocab, label }: EditorProps) {
  const mode = 'all' in value ? 'all' : 'any';
  const items = (value as Record<string, Condition[]>)[mode] ?? [];
  const set = (next: Condition[], nextMode = mode) => onChange({ [nextMode]: next } as Condition);
  return (
    <fieldset className="group">
      <legend>
        <select value={mode} onChange={(e) => set(items, e.target.value)} aria-label={`${label}: match`}>
          <option value="all">all of</option>
          <option value="any">any of</option>
        </select>
        {onRemove && (
          <button type="button" className="remove" onClick={onRemove} aria-label={`Remove ${label}`}>
            ×
          </button>
        )}
      </legend>
      {items.map((item, i) => (
        <ConditionEditor
          key={i}
          value={item}
          vocab={vocab}
          label={`${label} › condition ${i + 1}`}
          onChange={(next) => set(items.map((c, j) => (j === i ? next : c)))}
          onRemove={items.length > 1 ? () => set(items.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <div className="add">
        add:{' '}
        {(['trait', 'event', 'audience', 'group'] as const).map((kind) => (
          <button key={kind} type="button" onClick={() => set([...items, newCondition(kind, vocab)])}>
            + {kind}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

function TraitEditor({
  value,
  onChange,
  vocab,
  label,
}: {
  value: { trait: string; op: string; value?: Scalar | Scalar[] };
  onChange: (next: Condition) => void;
  vocab: Vocabulary;
  label: string;
}) {
  const [text, setText] = useState(formatValue(value.value));
  const apply = (op: string, raw: string) => {
    const { value: _old, ...rest } = value;
    const parsed = valueFor(op, raw);
    onChange(parsed === undefined ? { ...rest, op } : { ...rest, op, value: parsed });
  };
  return (
    <>
      <select
        value={value.trait}
        onChange={(e) => onChange({ ...value, trait: e.target.value })}
        aria-label={`${label} trait`}
      >
        {[...new Set([value.trait, ...vocab.traits])].map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
      <select value={value.op} onChange={(e) => apply(e.target.value, text)} aria-label={`${label} operator`}>
        {vocab.ops.map((op) => (
          <option key={op}>{op}</option>
        ))}
      </select>
      {!NO_VALUE.includes(value.op) && (
        <input
          aria-label={`${label} value`}
          value={text}
          placeholder={LIST_VALUE.includes(value.op) ? 'a, b, c' : 'value'}
          onChange={(e) => {
            setText(e.target.value);
            apply(value.op, e.target.value);
          }}
        />
      )}
    </>
  );
}

function EventEditor({
  value,
  onChange,
  vocab,
  label,
}: {
  value: Extract<Condition, { event: string }>;
  onChange: (next: Condition) => void;
  vocab: Vocabulary;
  label: string;
}) {
  const countOp = Object.keys(value.count ?? {})[0] ?? '';
  const countN = countOp ? value.count?.[countOp] : undefined;
  const set = (patch: Partial<typeof value>) => {
    const next: Record<string, unknown> = { ...value, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    onChange(next as Condition);
  };
  return (
    <>
      <select
        value={value.event}
        aria-label={`${label} event`}
        onChange={(e) => {
          const source = vocab.events.find((s) => s.from === e.target.value);
          set({ event: e.target.value, timestamp: source?.timestamp ?? value.timestamp });
        }}
      >
        {[...new Set([value.event, ...vocab.events.map((e) => e.from)])].map((e) => (
          <option key={e}>{e}</option>
        ))}
      </select>
      <label className="inline">
        in the last
        <input
          type="number"
          min={1}
          className="short"
          aria-label={`${label} within days`}
          value={value.within_days ?? ''}
          onChange={(e) =>
            set({
              within_days: e.target.value === '' ? undefined : Number(e.target.value),
              timestamp:
                value.timestamp ?? vocab.events.find((s) => s.from === value.event)?.timestamp ?? undefined,
            })
          }
        />
        days
      </label>
      <label className="inline">
        count
        <select
          value={countOp}
          aria-label={`${label} count operator`}
          onChange={(e) => set({ count: e.target.value ? { [e.target.value]: countN ?? 1 } : undefined })}
        >
          <option value="">at least one</option>
          {COUNT_OPS.map((op) => (
            <option key={op}>{op}</option>
          ))}
        </select>
        {countOp && (
          <input
            type="number"
            min={0}
            className="short"
            aria-label={`${label} count`}
            value={countN ?? 0}
            onChange={(e) => set({ count: { [countOp]: Number(e.target.value) } })}
          />
        )}
      </label>
      <ColumnConditions
        value={value.where ?? []}
        columns={vocab.events.find((s) => s.from === value.event)?.columns ?? []}
        vocab={vocab}
        label={label}
        onChange={(where) => set({ where })}
      />
    </>
  );
}
