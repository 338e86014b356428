/**
 * An event condition's column conditions (`where:` of an event: all must hold), one row each:
 * the event source's column, an operator and a value.
 */
import { useState } from 'react';
import type { Scalar, Vocabulary } from './ConditionEditor';
import { formatValue, LIST_VALUE, NO_VALUE, valueFor } from './values';

/** One column condition as the YAML holds it. */
export interface ColumnCondition {
  column: string;
  op: string;
  value?: Scalar | Scalar[];
}

export function ColumnConditions({
  value,
  columns,
  vocab,
  label,
  onChange,
}: {
  value: ColumnCondition[];
  /** The event source's columns (empty when unknown: the column is then typed). */
  columns: string[];
  vocab: Vocabulary;
  label: string;
  onChange: (next: ColumnCondition[] | undefined) => void;
}) {
  const set = (i: number, next: ColumnCondition) => onChange(value.map((c, j) => (j === i ? next : c)));
  return (
    <div className="columns-where">
      {value.map((c, i) => (
        <ColumnRow
          key={i}
          value={c}
          columns={columns}
          ops={vocab.ops}
          label={`${label} column condition ${i + 1}`}
          onChange={(next) => set(i, next)}
          onRemove={() => {
            const rest = value.filter((_, j) => j !== i);
            onChange(rest.length > 0 ? rest : undefined);
          }}
        />
      ))}
      <button
        type="button"
        onClick={() => onChange([...value, { column: columns[0] ?? '', op: 'eq', value: '' }])}
      >
        + column condition
      </button>
    </div>
  );
}

function ColumnRow({
  value,
  columns,
  ops,
  label,
  onChange,
  onRemove,
}: {
  value: ColumnCondition;
  columns: string[];
  ops: string[];
  label: string;
  onChange: (next: ColumnCondition) => void;
  onRemove: () => void;
}) {
  const [text, setText] = useState(formatValue(value.value));
  const apply = (op: string, raw: string) => {
    const { value: _old, ...rest } = value;
    const parsed = valueFor(op, raw);
    onChange(parsed === undefined ? { ...rest, op } : { ...rest, op, value: parsed });
  };
  return (
    <span className="inline column-row">
      where
      {columns.length > 0 ? (
        <select
          value={value.column}
          aria-label={`${label} column`}
          onChange={(e) => onChange({ ...value, column: e.target.value })}
        >
          {[...new Set([value.column, ...columns])].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      ) : (
        <input
          aria-label={`${label} column`}
          value={value.column}
          onChange={(e) => onChange({ ...value, column: e.target.value })}
        />
      )}
      <select value={value.op} aria-label={`${label} operator`} onChange={(e) => apply(e.target.value, text)}>
        {ops.map((op) => (
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
      <button type="button" className="remove" onClick={onRemove} aria-label={`Remove ${label}`}>
        ×
      </button>
    </span>
  );
}
