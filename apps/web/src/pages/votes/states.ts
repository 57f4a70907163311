import type { ResponseOf, votesApi } from '@pingan/contract';

export type VoteRow = ResponseOf<typeof votesApi.list>['items'][number];
export type VoteDetail = ResponseOf<typeof votesApi.detail>;
export type BallotRow = ResponseOf<typeof votesApi.ballots>['items'][number];

export const STATE_COLOR: Record<VoteRow['state'], string> = {
  upcoming: 'default',
  open: 'gold',
  counting: 'blue',
  closed: 'green',
  cancelled: 'default',
};

export const FLAG_COLOR: Record<BallotRow['flags'][number], string> = {
  burst_network: 'red',
  same_device: 'volcano',
  time_cluster: 'orange',
};
