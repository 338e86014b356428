/** What a page shows while loading or after a failed load. */
export function Loading({ error }: { error?: string | undefined }) {
  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  return <p className="loading">Loading…</p>;
}
