import { DeploySmithError } from '@deploysmith/core';
import { describe, expect, it } from 'vitest';
import { describePostgres, isConnectionFailure } from './postgres.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('PostgreSQL failures', () => {
  it('takes a lost or refused connection, a shutdown or an overloaded server as the database being unavailable', () => {
    for (const error of [
      withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      withCode('read ECONNRESET', 'ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      withCode('terminating connection due to administrator command', '57P01'),
      withCode('the database system is starting up', '57P03'),
      withCode('connection failure', '08006'),
      withCode('sorry, too many clients already', '53300'),
    ]) {
      expect(isConnectionFailure(error), error.message).toBe(true);
    }
  });

  it('leaves errors of the statement itself alone', () => {
    for (const error of [
      withCode('duplicate key value violates unique constraint', '23505'),
      withCode('relation "nope" does not exist', '42P01'),
      withCode('canceling statement due to lock timeout', '55P03'),
      new Error('something else'),
    ]) {
      expect(isConnectionFailure(error), error.message).toBe(false);
    }
    expect(isConnectionFailure(new DeploySmithError('conflict', 'x'))).toBe(false);
  });

  it('names a database by host, port and name, never by its password', () => {
    expect(describePostgres('postgres://smithd:s3cret@db.example.com:6432/deploys')).toBe(
      'db.example.com:6432/deploys',
    );
    expect(describePostgres('postgresql://smithd@db')).toBe('db:5432/smithd');
  });
});
