/** The console's shell: sign-in, the navigation and the page the hash names. */
import { useEffect, useState } from 'react';
import { api, forgetKey, savedKey, saveKey } from './api';
import { AudienceBuilder } from './pages/AudienceBuilder';
import { Audiences } from './pages/Audiences';
import { Lineage } from './pages/Lineage';
import { Overview } from './pages/Overview';
import { Profiles } from './pages/Profiles';
import { RunPage } from './pages/RunPage';
import { SignIn } from './pages/SignIn';
import { SyncPage } from './pages/SyncPage';
import { type Route, useRoute } from './route';

/** Who is signed in. */
export interface Session {
  role: 'viewer' | 'editor';
  project: string;
}

const NAV = [
  ['#/', 'Overview'],
  ['#/profiles', 'Profiles'],
  ['#/audiences', 'Audiences'],
  ['#/lineage', 'Lineage'],
] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(savedKey() !== null);
  const route = useRoute();

  useEffect(() => {
    if (savedKey() === null) return;
    api<Session>('session')
      .then(setSession)
      .catch(() => forgetKey())
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <p className="loading">Signing in…</p>;
  if (!session)
    return (
      <SignIn
        onSignIn={async (key) => {
          const next = await api<Session>('session', undefined, key);
          saveKey(key);
          setSession(next);
        }}
      />
    );
  const section = route.parts[0] ?? '';
  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is an anchor to #main by convention; the handler only moves focus */}
      <a
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="top">
        <span className="brand">weft · {session.project}</span>
        <nav aria-label="Main">
          {NAV.map(([href, label]) => {
            const active =
              href === '#/'
                ? section === '' || section === 'syncs' || section === 'runs'
                : href === `#/${section}`;
            return (
              <a key={href} href={href} aria-current={active ? 'page' : undefined}>
                {label}
              </a>
            );
          })}
        </nav>
        <span className="who">
          <span data-testid="role">{session.role}</span>
          <button
            type="button"
            onClick={() => {
              forgetKey();
              setSession(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} session={session} />
      </main>
    </>
  );
}

function Page({ route, session }: { route: Route; session: Session }) {
  const [section, name] = route.parts;
  if (section === 'syncs' && name) return <SyncPage name={name} session={session} />;
  if (section === 'runs' && name) return <RunPage runId={name} />;
  if (section === 'profiles') return <Profiles query={route.query.get('q') ?? ''} session={session} />;
  if (section === 'audiences' && name)
    return <AudienceBuilder key={name} name={name === 'new' ? null : name} session={session} />;
  if (section === 'audiences') return <Audiences session={session} />;
  if (section === 'lineage') return <Lineage selected={name} />;
  return <Overview />;
}
