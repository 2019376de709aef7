import { useCallback, useEffect, useRef, useState } from 'react';

// Load `load` now and again `intervalMs` after each answer while the component is mounted.
// Calls never overlap, the pending one is aborted on unmount, and a failed call keeps the
// last good data so the page can show it next to the error.
export default function usePolling(load, intervalMs) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [receivedAt, setReceivedAt] = useState(null);
  const [loading, setLoading] = useState(true);
  const timer = useRef(null);
  const controller = useRef(null);
  const alive = useRef(true);

  const run = useCallback(async () => {
    clearTimeout(timer.current);
    if (controller.current) controller.current.abort();
    const current = new AbortController();
    controller.current = current;
    setLoading(true);
    try {
      const result = await load({ signal: current.signal });
      if (!alive.current || current.signal.aborted) return;
      setData(result);
      setError(null);
      setReceivedAt(new Date());
    } catch (e) {
      if (!alive.current || current.signal.aborted) return;
      setError(e);
    }
    setLoading(false);
    if (intervalMs > 0) timer.current = setTimeout(run, intervalMs);
  }, [load, intervalMs]);

  useEffect(() => {
    alive.current = true;
    run();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
      if (controller.current) controller.current.abort();
    };
  }, [run]);

  return { data, error, receivedAt, loading, refresh: run };
}
