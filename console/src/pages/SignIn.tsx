/** The sign-in form: a console key from weft.yml (serve.viewer_key or serve.editor_key). */
import { type FormEvent, useState } from 'react';

export function SignIn({ onSignIn }: { onSignIn: (key: string) => Promise<void> }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await onSignIn(key.trim());
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <main id="main" className="signin">
      <h1>weft console</h1>
      <form onSubmit={submit}>
        <label htmlFor="key">Console key</label>
        <input
          id="key"
          type="password"
          autoComplete="current-password"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the only field of the page
          autoFocus
        />
        <button type="submit">Sign in</button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <p className="hint">The serve.viewer_key (read only) or serve.editor_key of weft.yml.</p>
      </form>
    </main>
  );
}
