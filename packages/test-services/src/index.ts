/**
 * Real Redis, RabbitMQ and PostgreSQL servers for tests, started from the system's packages on
 * free loopback ports in temporary directories. `start*` gives a private server with `kill()` and
 * `restart()` for fault tests; `shared*` gives the one server of the test run, started on first
 * use, with a key prefix, vhost or database per test file.
 *
 * @module
 */
export { freePort } from './free-port.js';
export {
  type PostgresClient,
  type PostgresService,
  postgresBinDir,
  postgresClient,
  startPostgres,
} from './postgres.js';
export { type RabbitMqService, type StartRabbitMqOptions, startRabbitMq } from './rabbitmq.js';
export { type StartRedisOptions, startRedis } from './redis.js';
export type { StartServiceOptions, TeardownRecord, TestService } from './service.js';
export {
  RUN_DIR_ENV,
  runDirectory,
  type SharedPostgres,
  type SharedRabbitMq,
  type SharedRedis,
  sharedPostgres,
  sharedRabbitMq,
  sharedRedis,
  uniqueName,
} from './shared.js';
export { teardownRunDir, teardownSync } from './teardown.js';
