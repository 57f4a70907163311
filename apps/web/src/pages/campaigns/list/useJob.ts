import { useCallback, useEffect, useState } from 'react';
import { getJob } from '../../../api/jobs';
import { ApiError, errorMessage } from '../../../api/client';
import type { JobStatus } from '../../../api/types';

export const POLL_MS = 500;

/**
 * Starts a background job and polls GET /api/jobs/:id every 500 ms until it is done or failed.
 * Polling stops when the component goes away.
 */
export function useJob<R>(startJob: () => Promise<{ jobId: string }>) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [status, setStatus] = useState<JobStatus<R> | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** the job started but its status could not be read (server restarted, job forgotten, network) */
  const [pollFailed, setPollFailed] = useState(false);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const s = await getJob<R>(jobId);
        if (!live) return;
        setStatus(s);
        if (s.state === 'running') timer = setTimeout(poll, POLL_MS);
      } catch (e) {
        if (!live) return;
        // a network blip: try again; an answer (404: the job is gone) ends the polling
        if (e instanceof ApiError && e.status === 0) {
          timer = setTimeout(poll, POLL_MS * 4);
          return;
        }
        setPollFailed(true);
        setError(errorMessage(e));
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId]);

  const start = useCallback(async () => {
    setStarting(true);
    setError(null);
    setPollFailed(false);
    setStatus(null);
    setJobId(null);
    try {
      setJobId((await startJob()).jobId);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  }, [startJob]);

  const running = starting || (jobId !== null && error === null && (status === null || status.state === 'running'));
  const percent = status ? (status.total > 0 ? Math.round((status.done / status.total) * 100) : status.state === 'done' ? 100 : 0) : 0;
  return { start, status, error, pollFailed, running, percent, started: jobId !== null || error !== null };
}
