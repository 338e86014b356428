/** Loads an API path into state: data, error and a reload function. */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    api<T>(path)
      .then((data) => live && setState({ data, loading: false }))
      .catch((error: Error) => live && setState({ error: error.message, loading: false }));
    return () => {
      live = false;
    };
  }, [path, tick]);
  return { ...state, reload };
}
