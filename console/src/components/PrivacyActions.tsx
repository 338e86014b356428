/**
 * A profile's privacy buttons (editors only): download the export `weft privacy export` gathers,
 * and request erasure (`weft privacy delete`) after a confirm dialog that says what will happen;
 * then the request id and its status per destination.
 */
import { useRef, useState } from 'react';
import { api } from '../api';
import { when } from '../format';

interface Step {
  step: string;
  system: string;
  destination: string;
  action: string;
  status: string;
  records: number;
  acknowledged_at: string | null;
  last_error: string | null;
  response_id: string | null;
}

interface Request {
  request_id: string;
  status: string;
  regulation: string;
  due_at: string;
  identifiers: number;
  steps?: Step[];
}

export interface PrivacySubject {
  profileId: string;
  identifiers: number;
  destinations: Array<{ sync: string; type: string }>;
}

export function PrivacyActions({ person }: { person: PrivacySubject }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState<'export' | 'erase' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [request, setRequest] = useState<Request | null>(null);
  const query = person.profileId;

  const download = async () => {
    setBusy('export');
    setError(null);
    try {
      const data = await api<unknown>('privacy/export', { query });
      const url = URL.createObjectURL(
        new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = `weft-export-${query}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const erase = async () => {
    dialog.current?.close();
    setBusy('erase');
    setError(null);
    try {
      setRequest(await api<Request>('privacy/erase', { query }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const refresh = async () => {
    if (!request) return;
    try {
      setRequest(await api<Request>(`privacy/requests/${encodeURIComponent(request.request_id)}`));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section aria-labelledby="privacy-h" className="panel">
      <h3 id="privacy-h">Privacy</h3>
      <div className="actions">
        <button type="button" onClick={download} disabled={busy !== null}>
          {busy === 'export' ? 'Exporting…' : 'Download export (JSON)'}
        </button>
        <button
          type="button"
          onClick={() => dialog.current?.showModal()}
          disabled={busy !== null || request !== null}
        >
          {busy === 'erase' ? 'Erasing…' : 'Request erasure…'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <dialog ref={dialog} aria-labelledby="erase-h" className="confirm">
        <h3 id="erase-h">Erase this person everywhere?</h3>
        <p>
          Profile <code>{person.profileId}</code>: its {person.identifiers} identifier(s), and every other
          spelling the sources hold, are suppressed at once. Builds drop the person from identity, profiles
          and audiences, and no sync sends them again, even while a source still holds them.
        </p>
        <p>
          Then they are deleted from{' '}
          {person.destinations.length === 0
            ? 'no destination (none received them)'
            : person.destinations.map((d) => `${d.sync} (${d.type})`).join(', ')}
          , weft's own tables are cleaned and the sources' privacy.delete statements run. This cannot be
          undone.
        </p>
        <div className="actions">
          <button type="button" className="danger" onClick={erase}>
            Erase
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
      {request && (
        <div aria-live="polite" data-testid="erasure">
          <p>
            Erasure request <code data-testid="request-id">{request.request_id}</code>:{' '}
            <span className={`status status-${request.status}`}>{request.status}</span> ({request.regulation},
            due {request.due_at.slice(0, 10)}).{' '}
            <button type="button" onClick={refresh}>
              Refresh status
            </button>
          </p>
          <table>
            <caption className="sub">Each system the request reaches</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Destination</th>
                <th scope="col">Action</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Records
                </th>
                <th scope="col">Acknowledged</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {(request.steps ?? []).map((s) => (
                <tr key={s.step}>
                  <td>{s.step}</td>
                  <td>{s.destination || s.system}</td>
                  <td>{s.action}</td>
                  <td>
                    <span className={`status status-${s.status}`}>{s.status}</span>
                  </td>
                  <td className="num">{s.records}</td>
                  <td>{when(s.acknowledged_at)}</td>
                  <td>{s.last_error ?? s.response_id ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
