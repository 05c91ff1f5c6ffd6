/**
 * What a succeeded deploy does to the environment's pin: a rollback pins the app there (auto-deploy
 * will leave it alone), a manual deploy forward lifts the pin, an auto-deploy never touches it.
 */
import type { Kysely } from 'kysely';
import type { DeploymentRow } from '../db/deployments.ts';
import { deletePin, setPin } from '../db/pins.ts';
import type { Schema } from '../db/schema.ts';

export async function applyPinEffect(
  db: Kysely<Schema>,
  deployment: DeploymentRow,
  at: string,
): Promise<void> {
  if (deployment.kind === 'rollback') {
    await setPin(db, {
      app: deployment.app,
      environment: deployment.environment,
      version: deployment.version,
      pinned_by: deployment.requested_by,
      pinned_at: at,
    });
  } else if (deployment.kind === 'deploy') {
    await deletePin(db, deployment.app, deployment.environment);
  }
}
