import type { ResponseOf, votesApi } from '@pingan/contract';

export type VoteState = ResponseOf<typeof votesApi.publicList>['items'][number]['state'];

/** The badge colour of a vote's state. */
export const STATE_TONE: Record<VoteState, 'green' | 'gold' | 'red' | 'grey' | 'blue'> = {
  upcoming: 'gold',
  open: 'red',
  counting: 'blue',
  closed: 'grey',
  cancelled: 'grey',
};
