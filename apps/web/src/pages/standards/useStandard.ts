import { listStandards } from '../../api/standards';
import type { StandardSummary } from '../../api/types';
import { useAsync, type AsyncState } from '../../hooks/useAsync';

/** One standard with its versions (oldest first), from the library list; null when there is none. */
export function useStandard(id: number): AsyncState<StandardSummary | null> {
  return useAsync(async () => (await listStandards()).find((s) => s.id === id) ?? null, [id]);
}
