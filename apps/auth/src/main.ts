import 'reflect-metadata';
import { runBusService } from '@hostlink/bus';
import { loadConfig } from '@hostlink/config';
import { AuthEnv } from './main/auth.config.js';
import { startAuth } from './main/auth.service.js';

/** `node apps/auth/dist/main.js`: the only place the auth service reads process.env. */
runBusService(() => startAuth(loadConfig(AuthEnv, process.env)));
