import 'reflect-metadata';
import { runBusService } from '@hostlink/bus';
import { loadConfig } from '@hostlink/config';
import { PollEnv } from './main/poll.config.js';
import { startPoll } from './main/poll.service.js';

/** `node apps/poll/dist/main.js`: the only place a poll instance reads process.env. */
runBusService(() => startPoll(loadConfig(PollEnv, process.env)));
