import { env } from '@hostlink/config';
import { z } from 'zod';
import { LOG_LEVELS } from '../logging/json.logger.js';

/** Every service's ops endpoints listen here unless `OPS_PORT` says otherwise (one pod, one service). */
export const DEFAULT_OPS_PORT = 9400;

/** What every service reads for its ops endpoints and its logs; spread into the service's env schema. */
export const opsServiceEnv = () => ({
  OPS_PORT: env.port(DEFAULT_OPS_PORT),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});
