/** A run status as a labelled badge (text, not colour alone). */
export function Status({ status }: { status: string | null | undefined }) {
  const text = status ?? 'never run';
  return <span className={`status status-${text.replace(/\s/g, '-')}`}>{text}</span>;
}
