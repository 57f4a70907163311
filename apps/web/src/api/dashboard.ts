import { dashboardApi } from '@pingan/contract';
import { call } from './client';

export const getDashboard = () => call(dashboardApi.get, {});
